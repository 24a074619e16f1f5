package dev.fusebox;

/**
 * What a registry does when it cannot read the state its store holds at start (a damaged file, a
 * database that does not answer). Set with {@link RegistryBuilder#whenStateUnreadable}.
 */
public enum UnreadableStatePolicy {
    /**
     * The default: start, but every breaker refuses calls ({@link CircuitOpenException}, "state
     * unknown") until the stored state can be read; the store is tried again at every store check.
     * No upstream an operator tripped is called, and {@link CircuitBreakerRegistry#storeHealth()}
     * says {@link StoreHealth.Status#FAILED} with the reason.
     */
    REFUSE_CALLS,
    /** {@link RegistryBuilder#build()} throws {@link StoreUnavailableException} with the reason. */
    FAIL_BUILD,
    /**
     * Start with every breaker closed, as if nothing were stored, and log an error: calls reach
     * upstreams that may have been tripped. The store is tried again at every store check, and
     * the stored state applied once read. For services that must call out whatever the store says.
     */
    START_CLOSED
}
