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

    /**
     * A call was shed by load shedding: the sampled system {@code load} was above the registry's
     * threshold and the call's {@code estimatedLoad} above its heavy-call limit.
     */
    record CallShed(String key, long atMillis, String operation, int estimatedLoad, double load)
            implements BreakerEvent {
    }

    /**
     * The breaker tripped: on its own ({@link Cause#FAILURES}, {@link Cause#TRIAL_FAILED},
     * {@link Cause#TRIAL_TIMED_OUT}) or by an operator, here or on another instance.
     *
     * @param failures the failure score when it tripped
     * @param tripCount trips over the breaker's life, this one included
     */
    record Tripped(String key, long atMillis, Change change, double failures, long tripCount)
            implements BreakerEvent {

        /** Who tripped it. */
        public String user() {
            return change.user();
        }

        /** Why. */
        public String reason() {
            return change.reason();
        }
    }

    /** An operator reset the breaker, here or on another instance. */
    record Reset(String key, long atMillis, Change change) implements BreakerEvent {

        /** Who reset it. */
        public String user() {
            return change.user();
        }

        /** Why. */
        public String reason() {
            return change.reason();
        }

        /** Whether it was reset inside the cooldown, with force. */
        public boolean forced() {
            return change.cause() == Cause.FORCED_RESET;
        }
    }

    /** An operator reset was refused by the cooldown. Nothing changed but the audit trail. */
    record ResetDenied(String key, long atMillis, String user, String reason, long retryAfterMillis)
            implements BreakerEvent {
    }

    /**
     * The breaker moved from one state to another; {@code change} says why, by whom and where.
     * Changes made on different threads at nearly the same time can reach a listener out of
     * order; one that sees a {@link Change#version()} lower than the highest it has seen for this
     * key should ignore it ({@link dev.fusebox.CircuitBreaker#state()} is always current).
     */
    record StateChanged(String key, long atMillis, State from, State to, Change change) implements BreakerEvent {
    }
}
