package dev.fusebox;

import dev.fusebox.event.RegistryListener;
import dev.fusebox.internal.BreakerLog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tells a registry's {@link RegistryListener}s of breakers added and removed, and of operations
 * a breaker refused for the first time. A listener that throws is logged; the registry carries on.
 */
final class RegistryEvents {

    private final CopyOnWriteArrayList<RegistryListener> listeners = new CopyOnWriteArrayList<>();

    /** Adds a listener and tells it of the {@code existing} breakers, sorted by key. */
    void add(RegistryListener listener, Collection<CircuitBreaker> existing) {
        listeners.add(listener);
        List<CircuitBreaker> sorted = new ArrayList<>(existing);
        sorted.sort(Comparator.comparing(CircuitBreaker::key));
        for (CircuitBreaker b : sorted) {
            tell(() -> listener.onBreakerAdded(b));
        }
    }

    boolean remove(RegistryListener listener) {
        return listeners.remove(listener);
    }

    void added(CircuitBreaker breaker) {
        breaker.core().onNewOperation(op -> {
            for (RegistryListener l : listeners) {
                tell(() -> l.onOperationAdded(breaker, op));
            }
        });
        for (RegistryListener l : listeners) {
            tell(() -> l.onBreakerAdded(breaker));
        }
    }

    void removed(CircuitBreaker breaker) {
        for (RegistryListener l : listeners) {
            tell(() -> l.onBreakerRemoved(breaker));
        }
    }

    private static void tell(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            BreakerLog.warn("Registry listener failed", e);
        }
    }
}
