package dev.fusebox.spring.boot;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.spring.actuate.FuseboxEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@code fusebox} Actuator endpoint, when Actuator is present and the endpoint is available
 * (exposed over HTTP with {@code management.endpoints.web.exposure.include=fusebox}).
 */
@AutoConfiguration(after = FuseboxAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBean(CircuitBreakerRegistry.class)
@ConditionalOnAvailableEndpoint(endpoint = FuseboxEndpoint.class)
@EnableConfigurationProperties(FuseboxProperties.class)
public class FuseboxEndpointAutoConfiguration {

    /** The endpoint over the registry; trips and resets without a principal per {@code fusebox.endpoint.anonymous-user}. */
    @Bean
    @ConditionalOnMissingBean
    public FuseboxEndpoint fuseboxEndpoint(CircuitBreakerRegistry registry, FuseboxProperties properties) {
        return new FuseboxEndpoint(registry, properties.getEndpoint().getAnonymousUser());
    }
}
