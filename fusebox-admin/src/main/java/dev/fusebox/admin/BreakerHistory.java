package dev.fusebox.admin;

import dev.fusebox.LatencyTotals;
import dev.fusebox.State;
import java.util.List;

/**
 * One breaker's last {@link #SAMPLES} one-second samples, in a ring: what happened in each second
 * (calls, failures, timeouts, rejections and sheds), the mean latency of that second's timed calls,
 * the failure score and the state at its end. The arrays are allocated at the breaker's first
 * active second (a call, a refusal, a score above 0 or a state other than closed) and dropped
 * after {@link #SAMPLES} inactive seconds in a row, so an idle breaker costs only this object.
 * Ticks are numbered by the {@link History}; a tick outside the ring reads as idle. Not
 * thread-safe: the {@link History} guards it.
 */
final class BreakerHistory {

    /** Samples kept: 15 minutes of seconds. */
    static final int SAMPLES = 900;
    /** Bytes the ring's arrays take: five int counters, two floats and a state byte per sample. */
    static final int RING_BYTES = SAMPLES * (5 * Integer.BYTES + 2 * Float.BYTES + 1);

    /** The counters' names in the JSON, by their index here. */
    static final List<String> COUNTERS = List.of("calls", "failures", "timeouts", "rejections", "sheds");
    static final int CALLS = 0;
    static final int FAILURES = 1;
    static final int TIMEOUTS = 2;
    static final int REJECTIONS = 3;
    static final int SHEDS = 4;

    /** The tick of this breaker's first sample. */
    final long firstTick;
    /** The lifetime counters at the last sample, to take the next second's differences from. */
    private final long[] last = new long[5];
    /** The latency totals at the last sample (null before the first), for this second's mean. */
    private LatencyTotals lastLatency;
    /** The mean latency of the last recorded second's timed calls (ms), or null when none were timed. */
    private Double secondLatencyMs;
    private int[][] counts;
    private float[] score;
    private float[] latency;
    private byte[] state;
    /** The first tick the ring holds (ticks before it were idle). */
    private long ringFrom;
    private long lastActiveTick = Long.MIN_VALUE;
    private boolean wasActive;

    /**
     * @param firstTick the tick of the first sample
     * @param counters the lifetime counters before it (calls, failures, timeouts, rejections, sheds),
     *     so that the first sample holds only what happened since
     * @param latency the latency totals before it, or null when not known (the first sample then
     *     has no latency)
     */
    BreakerHistory(long firstTick, long[] counters, LatencyTotals latency) {
        this.firstTick = firstTick;
        System.arraycopy(counters, 0, last, 0, last.length);
        lastLatency = latency;
    }

    /**
     * Records the second ending at {@code tick}.
     *
     * @param counters the lifetime counters now; their differences from the last sample are recorded
     * @param totals the breaker's latency totals now: this second's mean is taken from their
     *     difference with the last sample's (none for the first sample, or a second without timed calls)
     * @param deltas receives the differences (calls, failures, timeouts, rejections, sheds)
     * @param mayAllocate whether this breaker may take a ring if it has none (see {@link History#MAX_RINGS})
     * @return whether this second or the one before was active: a breaker going quiet is reported
     *     once more, at rest
     */
    boolean record(long tick, long[] counters, State now, double failureScore, LatencyTotals totals, int[] deltas,
                   boolean mayAllocate) {
        long timed = lastLatency == null ? 0 : totals.calls() - lastLatency.calls();
        secondLatencyMs = timed <= 0 ? null : (totals.nanos() - lastLatency.nanos()) / (double) timed / 1_000_000.0;
        lastLatency = totals;
        boolean active = now != State.CLOSED || failureScore > 0;
        for (int i = 0; i < last.length; i++) {
            // a counter that went down (it cannot, but a restored breaker might) counts as 0
            long d = Math.max(0, counters[i] - last[i]);
            deltas[i] = (int) Math.min(Integer.MAX_VALUE, d);
            last[i] = counters[i];
            active |= d > 0;
        }
        if (active) {
            lastActiveTick = tick;
            if (counts == null && mayAllocate) {
                allocate(tick);
            }
        } else if (counts != null && tick - lastActiveTick >= SAMPLES) {
            counts = null; // fifteen idle minutes: every sample the ring holds is idle
            score = null;
            latency = null;
            state = null;
        }
        if (counts != null) {
            int at = (int) (tick % SAMPLES);
            for (int i = 0; i < deltas.length; i++) {
                counts[i][at] = deltas[i];
            }
            score[at] = (float) failureScore;
            latency[at] = secondLatencyMs == null ? Float.NaN : secondLatencyMs.floatValue();
            state[at] = (byte) now.code();
        }
        boolean reported = active || wasActive;
        wasActive = active;
        return reported;
    }

    private void allocate(long tick) {
        counts = new int[5][SAMPLES];
        score = new float[SAMPLES];
        latency = new float[SAMPLES];
        state = new byte[SAMPLES];
        ringFrom = tick;
    }

    /** The mean latency (ms) of the timed calls of the second last recorded, or null when none were timed. */
    Double secondLatencyMs() {
        return secondLatencyMs;
    }

    /** Whether this breaker was active in the {@link #SAMPLES} seconds up to {@code tick}. */
    boolean activeWithin(long tick) {
        return lastActiveTick != Long.MIN_VALUE && tick - lastActiveTick <= SAMPLES;
    }

    /** Whether the ring's arrays are allocated. */
    boolean allocated() {
        return counts != null;
    }

    /** The count of {@code counter} (CALLS...SHEDS) in the second ending at {@code tick}. */
    int count(int counter, long tick) {
        return held(tick) ? counts[counter][(int) (tick % SAMPLES)] : 0;
    }

    /** The failure score at {@code tick}. */
    double score(long tick) {
        return held(tick) ? score[(int) (tick % SAMPLES)] : 0;
    }

    /** The average latency of the calls of the second ending at {@code tick}, or null when there were none. */
    Double latency(long tick) {
        if (!held(tick)) {
            return null;
        }
        float ms = latency[(int) (tick % SAMPLES)];
        return Float.isNaN(ms) ? null : (double) ms;
    }

    /** The state at {@code tick}. */
    State state(long tick) {
        return held(tick) ? State.ofCode(state[(int) (tick % SAMPLES)]) : State.CLOSED;
    }

    /** Whether the ring holds {@code tick}; the caller asks only for the last {@link #SAMPLES} ticks. */
    private boolean held(long tick) {
        return counts != null && tick >= ringFrom;
    }
}
