package dev.fusebox.internal;

import dev.fusebox.State;

/** Calls pass; outcomes are counted by the breaker. */
final class ClosedState extends BreakerState {

    ClosedState() {
        super(State.CLOSED);
    }
}
