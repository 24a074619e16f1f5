package dev.fusebox;

import java.time.Duration;

/**
 * The call ran longer than {@link BreakerConfig#callTimeout()} and was abandoned (its thread is
 * interrupted, its future cancelled). It counts as a timeout. No stack trace: the interesting
 * stack is the upstream's, which is still running.
 */
public final class CallTimeoutException extends FuseboxException {

    private static final long serialVersionUID = 1L;

    private final transient Duration timeout;

    public CallTimeoutException(String key, String operation, Duration timeout) {
        super(key, "Call '" + operation + "' to " + key + " timed out after " + timeout.toMillis() + " ms", true);
        this.timeout = timeout;
    }

    /** The timeout that was exceeded. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.TIMEOUT;
    }
}
