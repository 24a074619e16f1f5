package dev.fusebox.event;

import dev.fusebox.CircuitBreaker;

/**
 * Told when a registry creates or removes a breaker, so that integrations (metrics, stores)
 * attach to breakers created later without a restart. Called on the thread that created or
 * removed the breaker; exceptions are logged and ignored.
 */
public interface RegistryListener {

    /** A breaker was created (on first use, or restored from the store at start). */
    default void onBreakerAdded(CircuitBreaker breaker) {
    }

    /**
     * A breaker rejected or shed a call of an operation for the first time: per-operation
     * counters ({@link CircuitBreaker#rejectionsByOperation()}) now include it. Called on the
     * rejecting thread, once per breaker and operation.
     */
    default void onOperationAdded(CircuitBreaker breaker, String operation) {
    }

    /** A breaker was removed from the registry. */
    default void onBreakerRemoved(CircuitBreaker breaker) {
    }
}
