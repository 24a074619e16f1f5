package dev.fusebox.event;

import dev.fusebox.State;

/**
 * Something that happened to one breaker. Timestamps come from the registry's clock.
 * Events are immutable. They are built only when a listener wants them.
 */
public sealed interface BreakerEvent {

    /** The breaker key. */
    String key();

    /** Wall time of the event, in milliseconds since the epoch. */
    long atMillis();

    /** Why a breaker tripped. */
    enum TripCause {
        /** The failure score or a rate threshold was crossed. */
        FAILURES,
        /** A trial call in half-open failed. */
        TRIAL_FAILED,
        /** An operator tripped it. */
        OPERATOR,
        /** Another instance sharing the store tripped it. */
        REMOTE
    }

    /** A call succeeded. {@code latencyNanos} is -1 when the call was not timed (sampling). */
    record CallSucceeded(String key, long atMillis, String operation, long latencyNanos) implements BreakerEvent {
    }

    /** A call failed hard; {@code score} is the failure score after it. */
    record CallFailed(String key, long atMillis, String operation, Throwable error, double score)
            implements BreakerEvent {
    }

    /** A call timed out (or failed with a timeout-like error); {@code score} is the score after it. */
    record CallTimedOut(String key, long atMillis, String operation, Throwable error, double score)
            implements BreakerEvent {
    }

    /** A call was refused by an open breaker. {@code remainingMillis} is -1 when only an operator can close it. */
    record CallRejected(String key, long atMillis, String operation, State state, long remainingMillis)
            implements BreakerEvent {
    }

    /** A call was shed by load shedding. */
    record CallShed(String key, long atMillis, String operation, int estimatedLoad, double load, double threshold)
            implements BreakerEvent {
    }

    /** The breaker tripped. */
    record Tripped(String key, long atMillis, TripCause cause, String user, String reason, double failures,
                   long tripCount) implements BreakerEvent {
    }

    /** An operator reset the breaker. */
    record Reset(String key, long atMillis, String user, String reason, boolean forced) implements BreakerEvent {
    }

    /** An operator reset was refused by the cooldown. */
    record ResetDenied(String key, long atMillis, String user, String reason, long retryAfterMillis)
            implements BreakerEvent {
    }

    /**
     * The breaker moved from one state to another. {@code version} goes up by one with every
     * transition of this breaker. Transitions made on different threads at nearly the same time
     * can reach a listener out of order; one that sees a version lower than the highest it has
     * seen for this key should ignore it ({@link dev.fusebox.CircuitBreaker#state()} is always
     * current).
     */
    record StateChanged(String key, long atMillis, State from, State to, long version) implements BreakerEvent {
    }
}
