package dev.fusebox.spring.actuate;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** The "fusebox" health indicator on Spring Boot 3: see {@link BreakerHealth}. Thread-safe. */
public final class FuseboxHealthIndicator implements HealthIndicator {

    private final BreakerHealth health;

    public FuseboxHealthIndicator(BreakerHealth health) {
        this.health = health;
    }

    @Override
    public Health health() {
        BreakerHealth.Report report = health.report();
        return (report.up() ? Health.up() : Health.down()).withDetails(report.details()).build();
    }
}
