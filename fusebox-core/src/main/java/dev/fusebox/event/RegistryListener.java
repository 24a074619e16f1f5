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

    /** A breaker was removed from the registry. */
    default void onBreakerRemoved(CircuitBreaker breaker) {
    }
}
