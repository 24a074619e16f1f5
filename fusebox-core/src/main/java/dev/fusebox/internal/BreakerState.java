package dev.fusebox.internal;

import dev.fusebox.State;

/**
 * One state of one breaker. A breaker holds exactly one instance at a time and replaces it with
 * compare-and-set; a new instance is created for every transition, so a thread that admitted a
 * call under one instance can tell, when the call ends, whether the breaker has moved on since.
 */
public abstract class BreakerState {

    final State state;
    /** Wall time this state began; set just before the swap that publishes it. */
    long since;
    /** One more than the state it replaced: orders state-change events across threads. */
    long version;

    BreakerState(State state) {
        this.state = state;
    }

    /** The trip this state belongs to, or null when closed. */
    TripInfo trip() {
        return null;
    }
}
