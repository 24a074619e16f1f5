package dev.fusebox;

/**
 * What a call returns instead when the breaker refuses it, for
 * {@link CircuitBreaker#call(Callable, CallContext, Fallback)}: an empty list, a cached value, a
 * "temporarily unavailable" answer. The rejection is passed in, so the fallback can tell an open
 * breaker ({@link CircuitOpenException}) from a shed call ({@link LoadShedException}).
 *
 * @param <T> the call's result type
 */
@FunctionalInterface
public interface Fallback<T> {

    /**
     * The answer to use instead of running the call.
     *
     * @param rejection why the call did not run
     * @return the value the call returns
     * @throws Exception to fail the call after all
     */
    T onRejected(FuseboxException rejection) throws Exception;
}
