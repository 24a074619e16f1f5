package dev.fusebox.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.CircuitOpenException;
import dev.fusebox.spring.cloud.FuseboxCircuitBreakerFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.circuitbreaker.CircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;

/** Code written against Spring Cloud's {@code CircuitBreakerFactory} runs through Fusebox breakers. */
class SpringCloudTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FuseboxAutoConfiguration.class, FuseboxCloudAutoConfiguration.class))
            .withPropertyValues("fusebox.store.type=memory");

    @Test
    void theFactorysBreakersAreTheRegistrysAndTheFallbackAnswersRefusals() {
        runner.run(context -> {
            @SuppressWarnings("rawtypes")
            CircuitBreakerFactory factory = context.getBean(CircuitBreakerFactory.class);
            assertThat(factory).isInstanceOf(FuseboxCircuitBreakerFactory.class);
            ((FuseboxCircuitBreakerFactory) factory).configure(b -> b.operation("deepProbe").load(50), "draftkings");
            CircuitBreaker breaker = factory.create("draftkings");
            AtomicInteger upstreamCalls = new AtomicInteger();

            for (int i = 0; i < 10; i++) {
                String answer = breaker.run(() -> {
                    upstreamCalls.incrementAndGet();
                    throw new IllegalStateException("500 Internal Server Error");
                }, e -> "fallback: " + e.getMessage());
                assertThat(answer).isEqualTo("fallback: 500 Internal Server Error");
            }
            String refused = breaker.run(() -> "live", e -> e instanceof CircuitOpenException ? "cached" : "other");

            assertThat(refused).isEqualTo("cached");
            assertThat(upstreamCalls).hasValue(10);
            CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
            assertThat(registry.isTripped("draftkings")).isTrue();
            assertThat(registry.breaker("draftkings").rejectionsByOperation()).containsKey("deepProbe");
        });
    }

    @Test
    void backsOffForAnotherFactoryAndCanBeTurnedOff() {
        runner.withPropertyValues("spring.cloud.circuitbreaker.fusebox.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(CircuitBreakerFactory.class));
    }
}
