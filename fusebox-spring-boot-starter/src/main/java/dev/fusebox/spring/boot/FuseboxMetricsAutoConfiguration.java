package dev.fusebox.spring.boot;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.micrometer.FuseboxMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The breakers' meters, when Micrometer is on the class path: a {@link FuseboxMetrics} bean, which
 * Spring Boot binds to every {@link MeterRegistry} it manages (it is a {@code MeterBinder}), under
 * the classic names by default ({@code fusebox.metrics.naming}).
 */
@AutoConfiguration(after = FuseboxAutoConfiguration.class)
@ConditionalOnClass({MeterRegistry.class, FuseboxMetrics.class})
@ConditionalOnBean(CircuitBreakerRegistry.class)
@ConditionalOnProperty(prefix = "fusebox.metrics", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(FuseboxProperties.class)
public class FuseboxMetricsAutoConfiguration {

    /** Every breaker of the registry as meters, tagged with {@code fusebox.metrics.key-tag}. */
    @Bean
    @ConditionalOnMissingBean
    public FuseboxMetrics fuseboxMetrics(CircuitBreakerRegistry registry, FuseboxProperties properties) {
        FuseboxProperties.Metrics metrics = properties.getMetrics();
        return new FuseboxMetrics(registry, metrics.getKeyTag(), metrics.getNaming(), metrics.getHistogram());
    }
}
