package dev.fusebox.internal;

import dev.fusebox.CallContext;
import dev.fusebox.State;

/**
 * One state of one breaker, and what the breaker does in it: each state admits calls and reacts
 * to their outcomes in its own way (the closed state's admission is inlined in
 * {@link BreakerCore#admit}, the fast path). A breaker holds exactly one instance at a time and
 * replaces it through {@link Transitions}; a new instance is created for every change, so a
 * thread that admitted a call under one instance can tell, when the call ends, whether the
 * breaker has moved on since.
 */
public abstract class BreakerState {

    /** Returned by {@link #admit} after it changed the state: admission starts again. */
    static final Object AGAIN = new Object();

    final State state;
    /** When this state began. */
    final Stamp since;
    /** One more than the state it replaced: orders change events across threads. Set before the swap. */
    long version;
    /** What caused the change into this state; stored with it. Set before the swap; null for the first state. */
    dev.fusebox.event.Cause cause;

    BreakerState(State state, Stamp since) {
        this.state = state;
        this.since = since;
    }

    /** The trip this state belongs to, or null when closed. */
    TripInfo trip() {
        return null;
    }

    /**
     * Admits a call in a state other than closed: returns the state the call runs under, the
     * rejection to throw, or {@link #AGAIN} after changing the state.
     */
    Object admit(BreakerCore core, CallContext ctx) {
        return this;
    }

    /** A call admitted under this state succeeded. */
    void succeeded(BreakerCore core, long latencyNanos) {
    }

    /** A call admitted under this state failed or timed out; its failure is already counted. */
    void failed(BreakerCore core, Throwable error) {
    }

    /** A call admitted under this state ended without counting (ignored error, or shed after admission). */
    void released(BreakerCore core) {
    }
}
