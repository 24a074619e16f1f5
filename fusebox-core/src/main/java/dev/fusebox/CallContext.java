package dev.fusebox;

import java.util.Objects;

/**
 * What a protected call is: an operation name (used in logs and as a metric label) and an
 * estimated load between 0 and 1000 (used by load shedding: only calls above
 * {@link RegistryBuilder#heavyCallLoad(int)} can be shed).
 *
 * <p>Create one constant per operation and reuse it: the call path then allocates nothing.
 * <pre>{@code
 * static final CallContext DEEP_PROBE = CallContext.of("deepProbe", 50);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class CallContext {

    /** Largest accepted estimated load. */
    public static final int MAX_LOAD = 1000;
    /** Longest accepted operation name. */
    public static final int MAX_OPERATION_LENGTH = 128;

    /** The context used when the caller gives none: operation "call", load 0 (never shed). */
    public static final CallContext DEFAULT = new CallContext("call", 0);

    private final String operation;
    private final int estimatedLoad;

    private CallContext(String operation, int estimatedLoad) {
        this.operation = operation;
        this.estimatedLoad = estimatedLoad;
    }

    /**
     * A context for the given operation.
     *
     * @param operation non-blank name, at most 128 characters, no control characters
     * @param estimatedLoad 0 to 1000
     * @throws IllegalArgumentException if a value is out of range
     */
    public static CallContext of(String operation, int estimatedLoad) {
        Objects.requireNonNull(operation, "operation");
        if (operation.isBlank() || operation.length() > MAX_OPERATION_LENGTH
                || operation.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("operation must be 1 to " + MAX_OPERATION_LENGTH
                    + " printable characters, but was '" + operation + "'");
        }
        if (estimatedLoad < 0 || estimatedLoad > MAX_LOAD) {
            throw new IllegalArgumentException(
                    "estimatedLoad must be in [0, " + MAX_LOAD + "], but was " + estimatedLoad);
        }
        return new CallContext(operation, estimatedLoad);
    }

    /** The operation name. */
    public String operation() {
        return operation;
    }

    /** The estimated load, 0 to 1000. */
    public int estimatedLoad() {
        return estimatedLoad;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CallContext c && c.estimatedLoad == estimatedLoad && c.operation.equals(operation);
    }

    @Override
    public int hashCode() {
        return operation.hashCode() * 31 + estimatedLoad;
    }

    @Override
    public String toString() {
        return operation + "(load " + estimatedLoad + ")";
    }
}
