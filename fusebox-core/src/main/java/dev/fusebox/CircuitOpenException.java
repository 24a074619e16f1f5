package dev.fusebox;

/**
 * The breaker refused a call: it is {@link State#OPEN}, or {@link State#HALF_OPEN} with every
 * trial permit in use. The call did not run. No stack trace.
 */
public final class CircuitOpenException extends FuseboxException {

    private static final long serialVersionUID = 1L;

    private final State state;
    private final long remainingMillis;
    private final transient String detail;

    /**
     * @param key the breaker key
     * @param state the state that refused the call
     * @param remainingMillis time until the breaker will let a trial call through, or -1 when
     *     only an operator can close it
     * @param detail who tripped it and why, or null
     */
    public CircuitOpenException(String key, State state, long remainingMillis, String detail) {
        super(key, null, true);
        this.state = state;
        this.remainingMillis = remainingMillis;
        this.detail = detail;
    }

    /** Built when asked for, so that a rejection does not format a string. */
    @Override
    public String getMessage() {
        return "Circuit breaker for " + key() + " is " + state + (detail == null ? "" : " (" + detail + ")")
                + (remainingMillis < 0 ? "; manual reset required"
                : remainingMillis > 0 ? "; trial calls in " + remainingMillis + " ms" : "; no trial permit left");
    }

    /** The state that refused the call. */
    public State state() {
        return state;
    }

    /**
     * Milliseconds until the breaker lets a trial call through, or -1 when the breaker waits
     * for an operator ({@link RecoveryPolicy#MANUAL}, or a manual trip).
     */
    public long remainingMillis() {
        return remainingMillis;
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.CIRCUIT_OPEN;
    }
}
