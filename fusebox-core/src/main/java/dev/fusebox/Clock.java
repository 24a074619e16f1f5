package dev.fusebox;

/**
 * The one source of time for a registry: wall time for what is stored and shown (trip times,
 * cooldowns, open periods shared through a store), monotonic time for what is measured
 * (failure windows, latency, call timeouts).
 *
 * <p>Every time rule in Fusebox reads this clock, so tests drive time instead of sleeping.
 * Implementations must be thread-safe.
 */
public interface Clock {

    /** The system clock: {@link System#currentTimeMillis()} and {@link System#nanoTime()}. */
    Clock SYSTEM = new Clock() {
        @Override
        public long wallMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public long monotonicNanos() {
            return System.nanoTime();
        }

        @Override
        public String toString() {
            return "Clock.SYSTEM";
        }
    };

    /** Milliseconds since the epoch. */
    long wallMillis();

    /** Nanoseconds from an arbitrary origin; only differences are meaningful. */
    long monotonicNanos();
}
