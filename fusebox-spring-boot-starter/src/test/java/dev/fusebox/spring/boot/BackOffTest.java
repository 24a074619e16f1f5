package dev.fusebox.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.micrometer.FuseboxMetrics;
import dev.fusebox.spring.actuate.FuseboxEndpoint;
import dev.fusebox.spring.annotation.BreakerAnnotationPostProcessor;
import dev.fusebox.spring.cloud.FuseboxCircuitBreakerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Every bean of the starter is there by default and gives way to the application's own. */
class BackOffTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FuseboxAutoConfiguration.class,
                    FuseboxMetricsAutoConfiguration.class, FuseboxEndpointAutoConfiguration.class,
                    FuseboxHealthAutoConfiguration.class, FuseboxBoot4HealthAutoConfiguration.class,
                    FuseboxAnnotationAutoConfiguration.class, FuseboxCloudAutoConfiguration.class))
            .withPropertyValues("fusebox.store.type=memory", "management.endpoints.web.exposure.include=fusebox");

    @Test
    void everyBeanIsThereByDefault() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(CircuitBreakerRegistry.class).hasSingleBean(FuseboxMetrics.class)
                    .hasSingleBean(FuseboxEndpoint.class).hasSingleBean(BreakerAnnotationPostProcessor.class)
                    .hasSingleBean(FuseboxCircuitBreakerFactory.class).hasBean("fuseboxHealthIndicator");
        });
    }

    @Test
    void everyBeanGivesWayToTheApplicationsOwn() {
        Object health = new Object();
        try (CircuitBreakerRegistry own = CircuitBreakerRegistry.builder().build()) {
            runner.withBean("myMetrics", FuseboxMetrics.class, () -> new FuseboxMetrics(own))
                    .withBean("myEndpoint", FuseboxEndpoint.class, () -> new FuseboxEndpoint(own, "ops"))
                    .withBean("myPostProcessor", BreakerAnnotationPostProcessor.class, BreakerAnnotationPostProcessor::new)
                    .withBean("fuseboxHealthIndicator", Object.class, () -> health)
                    .run(context -> {
                        assertThat(context.getBeanNamesForType(FuseboxMetrics.class)).containsExactly("myMetrics");
                        assertThat(context.getBeanNamesForType(FuseboxEndpoint.class)).containsExactly("myEndpoint");
                        assertThat(context.getBeanNamesForType(BreakerAnnotationPostProcessor.class))
                                .containsExactly("myPostProcessor");
                        assertThat(context.getBean("fuseboxHealthIndicator")).isSameAs(health);
                    });
        }
    }

    @Test
    void withoutTheEndpointExposedThereIsNoEndpointBean() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FuseboxAutoConfiguration.class,
                        FuseboxEndpointAutoConfiguration.class))
                .withPropertyValues("fusebox.store.type=memory")
                .run(context -> assertThat(context).doesNotHaveBean(FuseboxEndpoint.class));
    }
}
