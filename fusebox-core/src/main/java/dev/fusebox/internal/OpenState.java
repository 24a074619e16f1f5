package dev.fusebox.internal;

import dev.fusebox.CallContext;
import dev.fusebox.CircuitOpenException;
import dev.fusebox.State;

/**
 * Calls are rejected, every one with the same immutable exception, so the rejection path
 * allocates nothing. A latched open state (manual recovery, an operator's trip, or a state that
 * could not be read) waits for a reset; otherwise the first call after {@link #nextAttempt}
 * moves the breaker to half-open, and the exception counts down to it. The wait is measured on
 * the monotonic clock.
 */
final class OpenState extends BreakerState {

    final TripInfo trip;
    /** When trial calls may start, or null when latched. */
    final Stamp nextAttempt;
    /** How many times in a row the breaker re-opened: the backoff exponent. */
    final int level;
    final CircuitOpenException rejection;

    OpenState(BreakerCore core, TripInfo trip, int level, Stamp since, Stamp nextAttempt) {
        super(State.OPEN, since);
        this.trip = trip;
        this.level = level;
        this.nextAttempt = trip.latched() ? null : nextAttempt;
        this.rejection = this.nextAttempt == null
                ? new CircuitOpenException(core.key, State.OPEN, -1, "tripped by " + trip.by() + ": " + trip.reason())
                : new CircuitOpenException(core.key, core.clock(), this.nextAttempt.nanos(), null);
    }

    boolean latched() {
        return nextAttempt == null;
    }

    @Override
    TripInfo trip() {
        return trip;
    }

    /** Time until trial calls, in ms (rounded up), 0 when due, -1 when latched. */
    long remainingMillis(long nowNanos) {
        if (nextAttempt == null) {
            return -1;
        }
        long nanos = nextAttempt.nanos() - nowNanos;
        return nanos <= 0 ? 0 : (nanos + 999_999) / 1_000_000;
    }

    @Override
    Object admit(BreakerCore core, CallContext ctx) {
        if (nextAttempt == null) {
            return Refusals.reject(core, this, ctx, -1, rejection);
        }
        long remaining = remainingMillis(core.clock().monotonicNanos());
        if (remaining > 0) {
            return Refusals.reject(core, this, ctx, remaining, rejection);
        }
        Transitions.halfOpen(core, this);
        return AGAIN;
    }
}
