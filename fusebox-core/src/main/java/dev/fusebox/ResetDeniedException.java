package dev.fusebox;

/**
 * An operator reset was refused because the breaker tripped less than
 * {@link BreakerConfig#resetCooldown()} ago. Nothing changed. Retry after
 * {@link #retryAfterMillis()} or reset with {@code force}.
 */
public final class ResetDeniedException extends FuseboxException {

    private static final long serialVersionUID = 1L;

    private final long retryAfterMillis;

    public ResetDeniedException(String key, long retryAfterMillis, long cooldownMillis) {
        super(key, "Reset denied: " + key + " tripped less than " + (cooldownMillis / 1000)
                + "s ago; " + retryAfterMillis + " ms of cooldown remain. Use force to override.");
        this.retryAfterMillis = retryAfterMillis;
    }

    /** Milliseconds until a reset without force is allowed. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.RESET_DENIED;
    }
}
