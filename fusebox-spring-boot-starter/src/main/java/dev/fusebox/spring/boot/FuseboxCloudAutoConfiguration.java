package dev.fusebox.spring.boot;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.spring.cloud.FuseboxCircuitBreakerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Cloud {@code CircuitBreakerFactory} over the registry, when Spring Cloud Commons is on
 * the class path and the application has no other factory
 * ({@code spring.cloud.circuitbreaker.fusebox.enabled=false} turns it off).
 */
@AutoConfiguration(after = FuseboxAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory")
@ConditionalOnBean(CircuitBreakerRegistry.class)
@ConditionalOnProperty(prefix = "spring.cloud.circuitbreaker.fusebox", name = "enabled", matchIfMissing = true)
public class FuseboxCloudAutoConfiguration {

    /**
     * Breakers by id: the id is the Fusebox key. Every {@code Customizer<FuseboxCircuitBreakerFactory>}
     * bean is applied to it, in {@code @Order}, as Spring Cloud's own factories are.
     */
    @Bean
    @ConditionalOnMissingBean(CircuitBreakerFactory.class)
    public FuseboxCircuitBreakerFactory fuseboxCircuitBreakerFactory(CircuitBreakerRegistry registry,
            ObjectProvider<Customizer<FuseboxCircuitBreakerFactory>> customizers) {
        FuseboxCircuitBreakerFactory factory = new FuseboxCircuitBreakerFactory(registry);
        customizers.orderedStream().forEach(customizer -> customizer.customize(factory));
        return factory;
    }
}
