package dev.fusebox.event;

/**
 * Why a breaker changed state. Carried by every {@link Change}, so that a listener never has to
 * infer it (for example from timestamps). The names are stored with the state and never change.
 */
public enum Cause {
    /** The failure score, the failure rate or the slow-call rate crossed its threshold. */
    FAILURES(false),
    /** A trial call failed while half-open: open again, one backoff level higher. */
    TRIAL_FAILED(false),
    /**
     * The trial calls of a half-open period did not finish within the trial timeout (the call
     * timeout, or else the open wait): open again, one backoff level higher.
     */
    TRIAL_TIMED_OUT(false),
    /** The open wait is over: the breaker lets trial calls through (half-open). */
    OPEN_WAIT_OVER(false),
    /** Enough trial calls succeeded: the breaker closed on its own. */
    TRIALS_SUCCEEDED(false),
    /** An operator tripped the breaker; it stays open until an operator resets it. */
    OPERATOR_TRIP(true),
    /** An operator reset the breaker after the cooldown. */
    OPERATOR_RESET(true),
    /** An operator reset the breaker inside the cooldown, with force. */
    FORCED_RESET(true),
    /**
     * The breaker's stored state could not be read, so it refuses calls until the state is known:
     * Fusebox fails closed rather than calling an upstream an operator may have tripped.
     */
    STATE_UNKNOWN(false),
    /** The stored state became readable again and the breaker took it. */
    STATE_LOADED(false);

    private final boolean byOperator;

    Cause(boolean byOperator) {
        this.byOperator = byOperator;
    }

    /** Whether a person made this change (trip, reset or forced reset), here or on another instance. */
    public boolean byOperator() {
        return byOperator;
    }

    /** Whether this change closes the breaker after a reset by an operator. */
    public boolean isReset() {
        return this == OPERATOR_RESET || this == FORCED_RESET;
    }

    /** The cause with this name; {@code fallback} for null or a name this version does not know. */
    public static Cause parse(String name, Cause fallback) {
        if (name != null) {
            for (Cause c : values()) {
                if (c.name().equals(name)) {
                    return c;
                }
            }
        }
        return fallback;
    }
}
