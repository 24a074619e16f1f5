package dev.fusebox;

/**
 * Stable error codes for JSON responses and logs. The names never change.
 */
public enum ErrorCode {
    /** The breaker is open (or half-open with no trial permit left): the call did not run. */
    CIRCUIT_OPEN,
    /** The call was shed because the system was overloaded: the call did not run. */
    LOAD_SHED,
    /** The call ran longer than its timeout and was abandoned. */
    TIMEOUT,
    /** An operator reset was refused because the breaker tripped too recently. */
    RESET_DENIED,
    /** The store did not take an operator action, so it did not happen. */
    STORE_UNAVAILABLE,
    /** The protected call itself failed. */
    UPSTREAM_ERROR;

    /**
     * The code for any throwable: a {@link FuseboxException}'s own code, otherwise
     * {@link #UPSTREAM_ERROR}.
     */
    public static ErrorCode of(Throwable error) {
        return error instanceof FuseboxException f ? f.errorCode() : UPSTREAM_ERROR;
    }
}
