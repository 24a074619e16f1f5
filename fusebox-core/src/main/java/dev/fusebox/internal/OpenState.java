package dev.fusebox.internal;

import dev.fusebox.CircuitOpenException;
import dev.fusebox.State;

/**
 * Calls are rejected, every one with the same immutable exception, so the rejection path
 * allocates nothing. A latched open state (manual recovery, or an operator's trip) waits for a
 * reset; otherwise the breaker moves to half-open at {@link #nextAttemptAt}, and the exception
 * counts down to it.
 */
final class OpenState extends BreakerState {

    static final long NEVER = Long.MAX_VALUE;

    final TripInfo trip;
    final long nextAttemptAt;
    final int level;
    final CircuitOpenException rejection;

    OpenState(BreakerCore core, TripInfo trip, long nextAttemptAt, int level) {
        super(State.OPEN);
        this.trip = trip;
        this.nextAttemptAt = nextAttemptAt;
        this.level = level;
        this.rejection = latched()
                ? new CircuitOpenException(core.key, State.OPEN, -1, "tripped by " + trip.by() + ": " + trip.reason())
                : new CircuitOpenException(core.key, core.shared.clock(), nextAttemptAt, null);
    }

    boolean latched() {
        return nextAttemptAt == NEVER;
    }

    @Override
    TripInfo trip() {
        return trip;
    }
}
