package dev.fusebox.internal;

import dev.fusebox.Clock;

/**
 * One moment on both of a registry's clocks: wall time, for what people read and what is stored,
 * and monotonic time, for every duration (open wait, cooldown, trial timeout). A duration measured
 * between two stamps is immune to the wall clock being stepped.
 *
 * @param millis wall-clock milliseconds since the epoch
 * @param nanos the monotonic clock's reading at the same moment
 */
record Stamp(long millis, long nanos) {

    /** Now. */
    static Stamp now(Clock clock) {
        return new Stamp(clock.wallMillis(), clock.monotonicNanos());
    }

    /**
     * A moment known only by its wall time (stored, or written by another instance), placed on
     * this process's monotonic clock by its distance from now. The wall clock is read once, here.
     */
    static Stamp ofWall(Clock clock, long wallMillis) {
        long nowWall = clock.wallMillis();
        long nowNanos = clock.monotonicNanos();
        long offsetMillis = Math.max(-Long.MAX_VALUE / 2_000_000, Math.min(Long.MAX_VALUE / 2_000_000,
                wallMillis - nowWall));
        return new Stamp(wallMillis, nowNanos + offsetMillis * 1_000_000);
    }

    /** This moment plus {@code millis}. */
    Stamp plusMillis(long millis) {
        return new Stamp(this.millis + millis, nanos + millis * 1_000_000);
    }
}
