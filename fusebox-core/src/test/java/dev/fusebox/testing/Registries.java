package dev.fusebox.testing;

import dev.fusebox.BreakerConfig;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.RegistryBuilder;
import java.time.Duration;

/** Registries wired to a manual clock, an injected load and no background threads of their own. */
public final class Registries {

    private Registries() {
    }

    public static RegistryBuilder manual(ManualClock clock, TestLoad load) {
        return CircuitBreakerRegistry.builder()
                .clock(clock)
                .scheduler(clock)
                .loadProbe(load)
                .loadSampleInterval(Duration.ZERO);
    }

    public static CircuitBreakerRegistry manual(ManualClock clock, TestLoad load, BreakerConfig defaults) {
        return manual(clock, load).defaultConfig(defaults).build();
    }
}
