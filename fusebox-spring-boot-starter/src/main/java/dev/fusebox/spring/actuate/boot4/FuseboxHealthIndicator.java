package dev.fusebox.spring.actuate.boot4;

import dev.fusebox.spring.actuate.BreakerHealth;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The "fusebox" health indicator on Spring Boot 4, whose health API moved to
 * {@code org.springframework.boot.health}: see {@link BreakerHealth}. Thread-safe.
 */
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
