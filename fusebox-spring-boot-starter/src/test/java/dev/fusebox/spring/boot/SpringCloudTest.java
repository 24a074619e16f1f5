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
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.core.annotation.Order;

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

    @Order(1)
    static class DeepProbe implements Customizer<FuseboxCircuitBreakerFactory> {
        @Override
        public void customize(FuseboxCircuitBreakerFactory factory) {
            factory.configure(b -> b.operation("deepProbe").load(50), "draftkings");
        }
    }

    @Order(2)
    static class LiveOdds implements Customizer<FuseboxCircuitBreakerFactory> {
        @Override
        public void customize(FuseboxCircuitBreakerFactory factory) {
            factory.configure(b -> b.operation("liveOdds"), "draftkings");
        }
    }

    @Test
    void customizerBeansConfigureTheFactoryInTheirOrder() {
        runner.withBean(LiveOdds.class).withBean(DeepProbe.class).run(context -> {
            CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
            registry.trip("draftkings", "maintenance", "alice");

            String answer = context.getBean(FuseboxCircuitBreakerFactory.class).create("draftkings")
                    .run(() -> "live", e -> "cached");

            assertThat(answer).isEqualTo("cached");
            assertThat(registry.breaker("draftkings").rejectionsByOperation())
                    .as("the later customizer's operation, not the id").containsOnlyKeys("liveOdds");
        });
    }

    @Test
    void backsOffForAnotherFactoryAndCanBeTurnedOff() {
        runner.withPropertyValues("spring.cloud.circuitbreaker.fusebox.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(CircuitBreakerFactory.class));
    }
}
