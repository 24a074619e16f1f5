package dev.fusebox.spring.boot;

import dev.fusebox.spring.annotation.Breaker;
import dev.fusebox.spring.annotation.BreakerAnnotationPostProcessor;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * {@link Breaker} on Spring beans' methods. The post-processor is a static bean method, as
 * post-processors must be, and looks the registry up only at the first protected call.
 */
@AutoConfiguration(after = FuseboxAutoConfiguration.class)
@ConditionalOnClass(ProxyFactory.class)
@ConditionalOnProperty(prefix = FuseboxProperties.PREFIX, name = "enabled", matchIfMissing = true)
public class FuseboxAnnotationAutoConfiguration {

    /** Proxies the beans that have {@link Breaker} methods. */
    @Bean
    @ConditionalOnMissingBean
    public static BreakerAnnotationPostProcessor fuseboxBreakerAnnotationPostProcessor() {
        return new BreakerAnnotationPostProcessor();
    }
}
