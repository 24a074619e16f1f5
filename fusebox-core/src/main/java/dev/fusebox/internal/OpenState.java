package dev.fusebox.internal;

import dev.fusebox.CircuitOpenException;
import dev.fusebox.State;

/**
 * Calls are rejected. A latched open state (manual recovery, or an operator's trip) waits for a
 * reset and rejects with one shared, immutable exception, so its rejection path allocates
 * nothing. Otherwise the breaker moves to half-open at {@link #nextAttemptAt}.
 */
final class OpenState extends BreakerState {

    static final long NEVER = Long.MAX_VALUE;

    final TripInfo trip;
    final long nextAttemptAt;
    final int level;
    final CircuitOpenException latchedRejection;

    OpenState(String key, TripInfo trip, long nextAttemptAt, int level) {
        super(State.OPEN);
        this.trip = trip;
        this.nextAttemptAt = nextAttemptAt;
        this.level = level;
        this.latchedRejection = latched()
                ? new CircuitOpenException(key, State.OPEN, -1, "tripped by " + trip.by() + ": " + trip.reason())
                : null;
    }

    boolean latched() {
        return nextAttemptAt == NEVER;
    }

    @Override
    TripInfo trip() {
        return trip;
    }
}
