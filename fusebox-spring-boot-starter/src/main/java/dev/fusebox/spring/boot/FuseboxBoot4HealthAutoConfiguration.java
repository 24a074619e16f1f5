package dev.fusebox.spring.boot;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.spring.actuate.BreakerHealth;
import dev.fusebox.spring.actuate.boot4.FuseboxHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code fusebox} health indicator on Spring Boot 4, whose health API lives in
 * {@code org.springframework.boot.health}; the same report as {@link FuseboxHealthAutoConfiguration}.
 */
@AutoConfiguration(after = FuseboxAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(CircuitBreakerRegistry.class)
@ConditionalOnEnabledHealthIndicator("fusebox")
@EnableConfigurationProperties(FuseboxProperties.class)
public class FuseboxBoot4HealthAutoConfiguration {

    /** Named so that the indicator is "fusebox" in {@code /actuator/health}. */
    @Bean
    @ConditionalOnMissingBean(name = "fuseboxHealthIndicator")
    public FuseboxHealthIndicator fuseboxHealthIndicator(CircuitBreakerRegistry registry, FuseboxProperties properties) {
        return new FuseboxHealthIndicator(new BreakerHealth(registry, properties.getHealth().isDownWhenTripped()));
    }
}
