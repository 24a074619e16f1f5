package dev.fusebox;

/**
 * The breaker refused a call: it is {@link State#OPEN}, or {@link State#HALF_OPEN} with every
 * trial permit in use. The call did not run. No stack trace.
 */
public final class CircuitOpenException extends FuseboxException {

    private static final long serialVersionUID = 1L;

    private final State state;
    private final long remainingMillis;
    private final long retryAtNanos;
    private final transient Clock clock;
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
        this.retryAtNanos = 0;
        this.clock = null;
        this.detail = detail;
    }

    /**
     * An {@link State#OPEN} rejection that counts down to {@code retryAtNanos}, so that one
     * immutable instance serves every rejection of an open period: {@link #remainingMillis()} is
     * the time left when it is asked. The countdown uses the monotonic clock, so stepping the
     * wall clock does not change it.
     *
     * @param key the breaker key
     * @param clock the breaker's clock
     * @param retryAtNanos the {@link Clock#monotonicNanos()} at which trial calls may start
     * @param detail who tripped it and why, or null
     */
    public CircuitOpenException(String key, Clock clock, long retryAtNanos, String detail) {
        super(key, null, true);
        this.state = State.OPEN;
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
        this.retryAtNanos = retryAtNanos;
        this.remainingMillis = 0;
        this.detail = detail;
    }

    /** Built when asked for, so that a rejection does not format a string. */
    @Override
    public String getMessage() {
        long remaining = remainingMillis();
        return "Circuit breaker for " + key() + " is " + state + (detail == null ? "" : " (" + detail + ")")
                + (remaining < 0 ? "; manual reset required"
                : state == State.HALF_OPEN ? "; no trial permit left"
                : "; trial calls in " + remaining + " ms");
    }

    /** Serialised as a snapshot: the time left when it is written, since the clock is not serialisable. */
    private Object writeReplace() {
        return clock == null ? this : new CircuitOpenException(key(), state, remainingMillis(), detail);
    }

    /** The state that refused the call. */
    public State state() {
        return state;
    }

    /**
     * Milliseconds until the breaker lets a trial call through, or -1 when the breaker waits
     * for an operator ({@link RecoveryPolicy#MANUAL}, or a manual trip). For an automatically
     * opened breaker this is the time left now, not when the call was rejected.
     */
    public long remainingMillis() {
        if (clock == null) {
            return remainingMillis;
        }
        long nanos = retryAtNanos - clock.monotonicNanos();
        return nanos <= 0 ? 0 : (nanos + 999_999) / 1_000_000;
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.CIRCUIT_OPEN;
    }
}
