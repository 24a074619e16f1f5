package dev.fusebox;

/**
 * Base of every exception Fusebox throws on its own behalf, each with an {@link ErrorCode}.
 *
 * <p>Rejections ({@link CircuitOpenException}, {@link LoadShedException}) are built without a
 * stack trace and without suppression: they are the normal answer of a tripped breaker and
 * must be cheap. Such an instance may be shared between calls; its state cannot be changed.
 */
public abstract class FuseboxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient String key;

    /** An exception with a stack trace, for rare events such as a denied reset. */
    protected FuseboxException(String key, String message) {
        super(message);
        this.key = key;
    }

    /**
     * An exception for the call path.
     *
     * @param light true to skip the stack trace and suppression (for rejections)
     */
    protected FuseboxException(String key, String message, boolean light) {
        super(message, null, !light, !light);
        this.key = key;
    }

    /** The breaker key this is about. */
    public String key() {
        return key;
    }

    /** The stable code for JSON and logs. */
    public abstract ErrorCode errorCode();
}
