package dev.fusebox.logging;

import dev.fusebox.CircuitBreakerRegistry;

/** Trips a breaker with nothing but the core on the class path; run by {@link CoreLogTest}. */
public final class BareMain {

    private BareMain() {
    }

    public static void main(String[] args) {
        try (CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder().build()) {
            registry.trip("bare", "checking the fallback logger", "tester");
        }
    }
}
