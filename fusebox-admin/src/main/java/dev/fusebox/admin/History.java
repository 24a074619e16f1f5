package dev.fusebox.admin;

import dev.fusebox.BreakerStatus;
import dev.fusebox.CircuitBreaker;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.LatencyTotals;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last 15 minutes of every breaker, one sample a second, kept in memory so that a console
 * opened late still sees what happened: per breaker a {@link BreakerHistory} ring (at most
 * {@link BreakerHistory#RING_BYTES} bytes, and only while the breaker is active), for at most
 * {@link #MAX_RINGS} breakers at once: past that, a breaker that becomes active has no history
 * until rings are free again (a ring is freed after 15 quiet minutes). Breakers are
 * followed from {@link #add} to {@link #remove} (the registry's listener calls them) and looked up
 * by key at every sample, so a breaker the registry dropped is forgotten even if its removal was
 * missed. Thread-safe: {@link #add} and {@link #remove} never wait (they run on the threads that
 * create breakers); sampling and reading take turns.
 */
final class History {

    static final int SAMPLES = BreakerHistory.SAMPLES;
    /**
     * Breakers with a ring at once: 1,000 rings are about 26 MB. Open breakers are active every
     * second, so without a bound 10,000 tripped breakers would hold 260 MB.
     */
    static final int MAX_RINGS = 1_000;

    /**
     * One breaker's second: its state, failure score and threshold at the end of it, the mean
     * latency of its timed calls (null when none were timed) and its counters in it.
     */
    record Second(String key, BreakerStatus status, Double avgLatencyMs, int[] perSecond) {
    }

    private final Map<String, BreakerHistory> byKey = new ConcurrentHashMap<>();
    /** Wall time of each tick, by tick modulo {@link #SAMPLES}. */
    private final long[] tickAt = new long[SAMPLES];
    /** The number of the next sample. */
    private volatile long tick;

    /**
     * Follows a breaker from the next sample.
     *
     * @param counters its lifetime counters now (calls, failures, timeouts, rejections, sheds), or
     *     null for a new breaker, whose counters start at 0: the first sample then shows only what
     *     happened since
     */
    void add(String key, long[] counters) {
        byKey.put(key, counters == null ? new BreakerHistory(tick, new long[5], new LatencyTotals(0, 0))
                : new BreakerHistory(tick, counters, null));
    }

    /** Forgets a breaker and its samples. */
    void remove(String key) {
        byKey.remove(key);
    }

    /** Forgets every breaker (the server is stopping). */
    void clear() {
        byKey.clear();
    }

    /** Breakers followed. */
    int size() {
        return byKey.size();
    }

    /** Breakers whose rings are allocated (active in the last 15 minutes). */
    int allocated() {
        int n = 0;
        for (BreakerHistory h : byKey.values()) {
            n += h.allocated() ? 1 : 0;
        }
        return n;
    }

    /** The lifetime counters of {@code s}, in the order the rings keep them. */
    static long[] counters(BreakerStatus s) {
        return new long[] {s.calls(), s.failedCalls(), s.timeouts(), s.rejections(), s.sheds()};
    }

    /**
     * Takes one sample of every breaker, at wall time {@code atMillis}.
     *
     * @return the breakers that were active in this second or the one before (so that a breaker
     *     going quiet is reported once more, closed and at 0)
     */
    synchronized List<Second> sample(CircuitBreakerRegistry breakers, long atMillis) {
        long t = tick;
        tickAt[(int) (t % SAMPLES)] = atMillis;
        List<Second> reported = new ArrayList<>();
        int rings = allocated();
        for (Map.Entry<String, BreakerHistory> e : byKey.entrySet()) {
            Optional<CircuitBreaker> breaker = breakers.find(e.getKey());
            if (breaker.isEmpty()) {
                if (byKey.remove(e.getKey(), e.getValue()) && e.getValue().allocated()) {
                    rings--;
                }
                continue;
            }
            BreakerStatus s = breaker.get().status();
            int[] deltas = new int[5];
            BreakerHistory h = e.getValue();
            boolean had = h.allocated();
            boolean report = h.record(t, counters(s), s.state(), s.failures(), breaker.get().latencyTotals(), deltas,
                    rings < MAX_RINGS);
            rings += h.allocated() == had ? 0 : had ? -1 : 1;
            if (report) {
                reported.add(new Second(e.getKey(), s, h.secondLatencyMs(), deltas));
            }
        }
        tick = t + 1;
        return reported;
    }

    /**
     * The samples of {@code key}, oldest first, as columns: {@code at} (epoch ms), {@code state},
     * {@code failures} (the score), {@code avgLatency} (ms, null for a second without calls) and
     * {@code perSecond} ({@code calls}, {@code failures}, {@code timeouts}, {@code rejections},
     * {@code sheds}); empty columns for a breaker not followed (yet: a breaker made a moment ago is
     * followed from the next sample).
     */
    synchronized Map<String, Object> columns(String key) {
        BreakerHistory h = byKey.get(key);
        long to = tick;
        long from = h == null ? to : Math.max(h.firstTick, to - SAMPLES);
        int n = (int) Math.max(0, to - from);
        long[] at = new long[n];
        String[] state = new String[n];
        double[] score = new double[n];
        Double[] latency = new Double[n];
        int[][] counts = new int[5][n];
        for (int i = 0; i < n; i++) {
            long t = from + i;
            at[i] = tickAt[(int) (t % SAMPLES)];
            state[i] = h.state(t).name();
            score[i] = h.score(t);
            latency[i] = h.latency(t);
            for (int c = 0; c < counts.length; c++) {
                counts[c][i] = h.count(c, t);
            }
        }
        Map<String, Object> perSecond = new LinkedHashMap<>();
        for (int c = 0; c < counts.length; c++) {
            perSecond.put(BreakerHistory.COUNTERS.get(c), counts[c]);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bookmaker", key);
        m.put("intervalMs", 1000);
        m.put("at", at);
        m.put("state", state);
        m.put("failures", score);
        m.put("avgLatency", latency);
        m.put("perSecond", perSecond);
        // Active now, yet no ring: every ring is taken (see MAX_RINGS). The seconds read as idle.
        m.put("kept", h == null || h.allocated() || !h.activeWithin(to));
        return m;
    }
}
