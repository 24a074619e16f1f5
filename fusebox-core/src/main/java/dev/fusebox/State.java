package dev.fusebox;

/**
 * The state of one breaker.
 *
 * <p>Each state has a fixed {@link #code()} that is written to the store and exported as a
 * metric value. The code never depends on declaration order, so adding a state later cannot
 * change what an existing database row or dashboard means.
 */
public enum State {
    /** Calls pass through and their outcomes are counted. */
    CLOSED(0),
    /** Calls are rejected without running. */
    OPEN(1),
    /** {@link RecoveryPolicy#AUTOMATIC} only: a limited number of trial calls pass through. */
    HALF_OPEN(2);

    private final int code;

    State(int code) {
        this.code = code;
    }

    /** The stable numeric code of this state: 0 closed, 1 open, 2 half-open. */
    public int code() {
        return code;
    }

    /** Whether this state refuses ordinary traffic (open or half-open). */
    public boolean isTripped() {
        return this != CLOSED;
    }

    /**
     * The state with the given stable code.
     *
     * @throws IllegalArgumentException if no state has that code
     */
    public static State ofCode(int code) {
        for (State s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown state code " + code + ", expected 0, 1 or 2");
    }
}
