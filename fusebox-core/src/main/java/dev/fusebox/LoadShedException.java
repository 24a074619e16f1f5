package dev.fusebox;

/**
 * The call was shed before it ran because the system load was above the threshold and the
 * call's estimated load above the heavy-call limit. A shed call is not a failure of the
 * upstream. No stack trace.
 */
public final class LoadShedException extends FuseboxException {

    private static final long serialVersionUID = 1L;

    private final transient String operation;
    private final int operationLoad;
    private final double load;
    private final double threshold;

    /**
     * @param key the breaker key
     * @param operation the shed call's operation name
     * @param operationLoad the shed call's estimated load
     * @param load the sampled system load, 0 to 1
     * @param threshold the shed threshold, 0 to 1
     */
    public LoadShedException(String key, String operation, int operationLoad, double load, double threshold) {
        super(key, null, true);
        this.operation = operation;
        this.operationLoad = operationLoad;
        this.load = load;
        this.threshold = threshold;
    }

    /** Built when asked for, so that shedding a call does not format a string. */
    @Override
    public String getMessage() {
        return "Load shed " + operation + " for " + key() + ": system load " + Math.round(load * 1000) / 10.0
                + "% > " + Math.round(threshold * 100) + "%, operation load " + operationLoad;
    }

    /** The shed call's operation name. */
    public String operation() {
        return operation;
    }

    /** The shed call's estimated load. */
    public int operationLoad() {
        return operationLoad;
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
