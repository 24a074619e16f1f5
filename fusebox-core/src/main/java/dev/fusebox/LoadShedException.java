package dev.fusebox;

/**
 * The call was shed before it ran because the system load was above the threshold and the
 * call's estimated load above the heavy-call limit. A shed call is not a failure of the
 * upstream. No stack trace.
 */
public final class LoadShedException extends FuseboxException {

    private static final long serialVersionUID = 1L;

    private final double load;
    private final double threshold;

    public LoadShedException(String key, double load, double threshold, String message) {
        super(key, message, true);
        this.load = load;
        this.threshold = threshold;
    }

    /** The sampled system load (0 to 1) that caused the shed. */
    public double load() {
        return load;
    }

    /** The shed threshold (0 to 1) in force. */
    public double threshold() {
        return threshold;
    }

    @Override
    public ErrorCode errorCode() {
        return ErrorCode.LOAD_SHED;
    }
}
