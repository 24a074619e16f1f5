package dev.fusebox.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Calls, failed calls and slow calls over a sliding time window, for the rate thresholds, kept in
 * 60 buckets without a lock and without allocating.
 *
 * <p>Each bucket holds three words (calls, failures, slow calls), each tagged like a
 * {@link RollingCounter} bucket: the low 32 bits of the bucket number above a 32-bit count. A
 * call is added to {@code calls} before {@code failures} and {@code slow}, and a reader reads
 * them in the opposite order and counts a bucket's failures only when they carry the same tag as
 * its calls. Every failure a reader counts therefore has its call counted too: a rate read while
 * other threads record can be low by the calls recorded meanwhile, but never higher than the
 * share of failures actually recorded.
 *
 * <p>Thread-safe.
 */
final class OutcomeWindow {

    private static final int BUCKETS = RollingCounter.BUCKETS;
    private static final int CALLS = 0;
    private static final int FAILURES = 1;
    private static final int SLOW = 2;
    private static final int VALUE_BITS = 32;
    private static final long VALUE_MASK = (1L << VALUE_BITS) - 1;
    private static final long TAG_MASK = (1L << 32) - 1;

    private final AtomicLongArray words = new AtomicLongArray(BUCKETS * 3);
    private final long bucketNanos;

    OutcomeWindow(long windowNanos) {
        this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
    }

    /** Records one finished call. */
    void record(long nowNanos, boolean failed, boolean slow) {
        long epoch = Math.floorDiv(nowNanos, bucketNanos);
        int base = (int) Math.floorMod(epoch, (long) BUCKETS) * 3;
        long tag = epoch & TAG_MASK;
        add(base + CALLS, tag);
        if (failed) {
            add(base + FAILURES, tag);
        }
        if (slow) {
            add(base + SLOW, tag);
        }
    }

    /** Calls in the window ending at {@code nowNanos}. */
    long calls(long nowNanos) {
        long epoch = Math.floorDiv(nowNanos, bucketNanos);
        long calls = 0;
        for (int b = 0; b < BUCKETS; b++) {
            long all = words.get(b * 3 + CALLS);
            if (fresh(all, epoch)) {
                calls += all & VALUE_MASK;
            }
        }
        return calls;
    }

    /** Failed calls / calls in the window, 0 without calls. */
    double failureRate(long nowNanos) {
        return rate(nowNanos, FAILURES, 0);
    }

    /** Slow calls / calls in the window, 0 without calls. */
    double slowRate(long nowNanos) {
        return rate(nowNanos, SLOW, 0);
    }

    /** The failure rate, or -1 when the window holds fewer than {@code minimumCalls} calls. */
    double failureRate(long nowNanos, int minimumCalls) {
        return rate(nowNanos, FAILURES, minimumCalls);
    }

    /** The slow-call rate, or -1 when the window holds fewer than {@code minimumCalls} calls. */
    double slowRate(long nowNanos, int minimumCalls) {
        return rate(nowNanos, SLOW, minimumCalls);
    }

    void clear() {
        for (int i = 0; i < words.length(); i++) {
            words.set(i, 0);
        }
    }

    private double rate(long nowNanos, int kind, int minimumCalls) {
        long epoch = Math.floorDiv(nowNanos, bucketNanos);
        long calls = 0;
        long counted = 0;
        for (int b = 0; b < BUCKETS; b++) {
            int base = b * 3;
            long part = words.get(base + kind); // before the calls: see the class comment
            long all = words.get(base + CALLS);
            if (fresh(all, epoch)) {
                long bucketCalls = all & VALUE_MASK;
                calls += bucketCalls;
                if (part >>> VALUE_BITS == all >>> VALUE_BITS) {
                    counted += Math.min(part & VALUE_MASK, bucketCalls);
                }
            }
        }
        if (calls < Math.max(1, minimumCalls)) {
            return minimumCalls > 0 ? -1 : 0;
        }
        return (double) counted / calls;
    }

    private static boolean fresh(long word, long epoch) {
        return word != 0 && ((epoch - (word >>> VALUE_BITS)) & TAG_MASK) < BUCKETS;
    }

    private void add(int index, long tag) {
        while (true) {
            long current = words.get(index);
            long next = current >>> VALUE_BITS == tag
                    ? current + ((current & VALUE_MASK) < VALUE_MASK ? 1 : 0)
                    : (tag << VALUE_BITS) | 1;
            if (words.compareAndSet(index, current, next)) {
                return;
            }
        }
    }
}
