package dev.fusebox.spring.boot;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.spring.actuate.BreakerHealth;
import dev.fusebox.spring.actuate.FuseboxHealthIndicator;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@code fusebox} health indicator on Spring Boot 3 ({@code management.health.fusebox.enabled}
 * turns it off). {@link FuseboxBoot4HealthAutoConfiguration} is its Spring Boot 4 twin.
 */
@AutoConfiguration(after = FuseboxAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnBean(CircuitBreakerRegistry.class)
@ConditionalOnEnabledHealthIndicator("fusebox")
@EnableConfigurationProperties(FuseboxProperties.class)
public class FuseboxHealthAutoConfiguration {

    /** Named so that the indicator is "fusebox" in {@code /actuator/health}. */
    @Bean
    @ConditionalOnMissingBean(name = "fuseboxHealthIndicator")
    public FuseboxHealthIndicator fuseboxHealthIndicator(CircuitBreakerRegistry registry, FuseboxProperties properties) {
        return new FuseboxHealthIndicator(new BreakerHealth(registry, properties.getHealth().isDownWhenTripped()));
    }
}
