package dev.fusebox.spring.actuate;

import dev.fusebox.BreakerStatus;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.StoreHealth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the health indicator reports, whichever Spring Boot carries it: the breakers and the
 * store, read from memory (it never waits for the store). The indicator is DOWN when the stored
 * state could not be read (every breaker refuses calls), and, only when asked, when a breaker is
 * tripped; otherwise UP, with the tripped breakers and a store that is down in the details.
 * Thread-safe.
 */
public final class BreakerHealth {

    /** The indicator's answer. */
    public record Report(boolean up, Map<String, Object> details) {
    }

    private final CircuitBreakerRegistry registry;
    private final boolean downWhenTripped;

    /**
     * @param downWhenTripped whether a tripped breaker makes the indicator DOWN
     */
    public BreakerHealth(CircuitBreakerRegistry registry, boolean downWhenTripped) {
        this.registry = registry;
        this.downWhenTripped = downWhenTripped;
    }

    /** The breakers and the store now. */
    public Report report() {
        List<BreakerStatus> all = registry.statusAll();
        StoreHealth store = registry.storeHealth();
        List<String> tripped = new ArrayList<>();
        Map<String, Object> breakers = new LinkedHashMap<>();
        for (BreakerStatus s : all) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("state", s.state().name());
            b.put("failures", s.failures());
            b.put("failureRate", s.failureRate());
            b.put("tripped", s.tripped());
            breakers.put(s.key(), b);
            if (s.tripped()) {
                tripped.add(s.key());
            }
        }
        Map<String, Object> storeDetails = new LinkedHashMap<>();
        storeDetails.put("status", store.status().name().toLowerCase(Locale.ROOT));
        if (store.problem() != null) {
            storeDetails.put("problem", store.problem());
        }
        storeDetails.put("since", store.since().toString());
        storeDetails.put("pendingWrites", store.pendingWrites());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("tripped", tripped);
        details.put("store", storeDetails);
        details.put("breakers", breakers);
        boolean down = store.status() == StoreHealth.Status.FAILED || downWhenTripped && !tripped.isEmpty();
        return new Report(!down, details);
    }
}
