package dev.fusebox;

/**
 * The store did not take an operator action (it is unreachable, full, or kept changing under
 * it), so the action did not happen: nothing changed in the breaker or in the store. Retry when
 * the store is back; {@link CircuitBreakerRegistry#storeHealth()} tells when.
 *
 * <p>One case is not certain: when the connection breaks while the commit runs, the store may
 * have taken it without being able to say so. The message then says that it was not confirmed.
 * The action has not taken effect here; if the store did take it, every instance, this one
 * included, follows it like any stored change.
 */
public final class StoreUnavailableException extends FuseboxException {

    private static final long serialVersionUID = 1L;

    /**
     * @param key the breaker the action was for
     * @param message what was not done and why
     * @param cause the store's error, or null
     */
    public StoreUnavailableException(String key, String message, Throwable cause) {
        super(key, message);
        if (cause != null) {
            initCause(cause);
        }
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.STORE_UNAVAILABLE;
    }
}
