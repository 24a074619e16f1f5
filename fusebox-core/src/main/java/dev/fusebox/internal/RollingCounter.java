package dev.fusebox.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free sum over a sliding time window, kept in 60 buckets.
 *
 * <p>Each bucket is one {@code long}: the low 32 bits of its bucket number (time / bucket width)
 * in the top bits, its value in the low 32 bits (at most 4.29 million thousandths of a failure
 * per bucket; more is clamped). The tag wraps after 2^32 buckets (2.3 years at the smallest,
 * 1 s window), so a value never comes back from an old bucket in practice. Adding compares-and-sets that one word, so a
 * bucket is rolled over and incremented atomically with no lock and no allocation. A value
 * counts while its bucket is among the last 60, so it expires between {@code window - width}
 * and {@code window} after it was added (1 s early at most for the default 60 s window).
 *
 * <p>Thread-safe. {@link #clear()} racing with {@link #add} may keep or drop that one addition,
 * as if the two had happened in either order.
 */
public final class RollingCounter {

    static final int BUCKETS = 60;
    private static final int EPOCH_BITS = 32;
    private static final int VALUE_BITS = 64 - EPOCH_BITS;
    private static final long VALUE_MASK = (1L << VALUE_BITS) - 1;
    private static final long EPOCH_MASK = (1L << EPOCH_BITS) - 1;

    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);
    private final long bucketNanos;

    /** @param windowNanos the window length, at least 60 ns */
    public RollingCounter(long windowNanos) {
        this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
    }

    /** Adds {@code delta} (&ge; 0) at time {@code nowNanos} and returns the sum in the window. */
    public long add(long nowNanos, long delta) {
        addOnly(nowNanos, delta);
        return sum(nowNanos);
    }

    /** The sum of the values added within the window ending at {@code nowNanos}. */
    public long sum(long nowNanos) {
        long epoch = epoch(nowNanos);
        long sum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            long bucket = buckets.get(i);
            long age = (epoch - (bucket >>> VALUE_BITS)) & EPOCH_MASK;
            if (age < BUCKETS) {
                sum += bucket & VALUE_MASK;
            }
        }
        return sum;
    }

    /** Adds {@code delta} (&ge; 0) at time {@code nowNanos}. */
    public void addOnly(long nowNanos, long delta) {
        long epoch = epoch(nowNanos);
        int index = (int) Math.floorMod(epoch, (long) BUCKETS);
        long tag = epoch & EPOCH_MASK;
        while (true) {
            long current = buckets.get(index);
            long next = (current >>> VALUE_BITS) == tag
                    ? current + Math.min(delta, VALUE_MASK - (current & VALUE_MASK))
                    : (tag << VALUE_BITS) | Math.min(delta, VALUE_MASK);
            if (buckets.compareAndSet(index, current, next)) {
                return;
            }
        }
    }

    /** Forgets everything. */
    public void clear() {
        for (int i = 0; i < BUCKETS; i++) {
            buckets.set(i, 0);
        }
    }

    private long epoch(long nowNanos) {
        // floorDiv and floorMod keep consecutive buckets consecutive when nanoTime is negative.
        return Math.floorDiv(nowNanos, bucketNanos);
    }
}
