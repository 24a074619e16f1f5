package dev.fusebox.spring.boot.support;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.spring.boot.app.Upstream;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.TestLoad;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;

/**
 * What the tests over the running test application share: its port, registry, clock, load and
 * upstreams. Each test starts with no breakers and healthy upstreams.
 */
public abstract class RunningApp {

    @Value("${local.server.port}")
    protected int port;
    @Autowired
    protected CircuitBreakerRegistry registry;
    @Autowired
    protected ManualClock clock;
    @Autowired
    protected TestLoad load;
    @Autowired
    @Qualifier("draftkings")
    protected Upstream draftkings;
    @Autowired
    @Qualifier("fanduel")
    protected Upstream fanduel;

    protected Http http;

    @BeforeEach
    void freshBreakers() {
        http = new Http(port);
        // A removed breaker keeps its trip (the store has it): reset tripped ones first.
        registry.breakers().forEach(b -> {
            if (b.isTripped()) {
                b.reset("fresh breakers for the next test", "test", true);
            }
            registry.remove(b.key());
        });
        draftkings.reset();
        fanduel.reset();
        load.set(0);
        registry.sampleLoad();
    }
}
