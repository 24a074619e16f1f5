package dev.fusebox.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * The average latency of sampled successful calls. The call path only adds to two
 * {@link LongAdder}s, whose cells are per-thread and padded, so timed calls on different cores
 * never write the same cache line. Once a second the maintenance task folds the samples of
 * that second into an exponentially weighted average (weight 0.2 for the newest second). Before
 * the first fold, the average is the plain mean of the samples so far. Thread-safe.
 */
final class LatencyAverage {

    private static final double ALPHA = 0.2;

    private final LongAdder nanos = new LongAdder();
    private final LongAdder count = new LongAdder();
    private long foldedNanos;
    private long foldedCount;
    /** NaN until the first fold. */
    private volatile double averageNanos = Double.NaN;
    /** Whether any sample was recorded (or restored): until then every call is timed. */
    private volatile boolean sampled;

    void record(long latencyNanos) {
        nanos.add(latencyNanos);
        count.increment();
        if (!sampled) {
            sampled = true;
        }
    }

    /** Samples recorded so far. */
    long count() {
        return count.sum();
    }

    /** Their latency, summed (ns). Read after {@link #count()}, it covers at least those samples. */
    long nanos() {
        return nanos.sum();
    }

    /** False until the first sample: a breaker that succeeded once must show its latency. */
    boolean sampled() {
        return sampled;
    }

    /** Folds the samples since the last fold into the average; false when there were none. */
    synchronized boolean fold() {
        long n = nanos.sum();
        long c = count.sum();
        long newCount = c - foldedCount;
        if (newCount <= 0) {
            return false;
        }
        double intervalMean = (double) (n - foldedNanos) / newCount;
        double avg = averageNanos;
        averageNanos = Double.isNaN(avg) ? intervalMean : avg + ALPHA * (intervalMean - avg);
        foldedNanos = n;
        foldedCount = c;
        return true;
    }

    /** The average in ms, or null before the first sample. */
    Double averageMs() {
        if (Double.isNaN(averageNanos)) {
            fold();
        }
        double avg = averageNanos;
        return Double.isNaN(avg) ? null : avg / 1_000_000.0;
    }

    /** Puts back an average read from the store (ms; negative means unknown). */
    synchronized void restore(double ms) {
        if (ms >= 0 && Double.isNaN(averageNanos)) {
            averageNanos = ms * 1_000_000.0;
            sampled = true;
        }
    }
}
