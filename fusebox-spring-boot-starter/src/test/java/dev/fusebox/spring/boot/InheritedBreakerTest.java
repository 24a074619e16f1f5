package dev.fusebox.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.spring.annotation.Breaker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A {@code @Breaker} method inherited by two beans of different classes: each bean's own fallback
 * answers for it (the plan is per bean class, not per method).
 */
class InheritedBreakerTest {

    abstract static class Bookmaker {
        @Breaker(key = "shared-feed", fallbackMethod = "fallback")
        public String markets() {
            return "live";
        }
    }

    static class DraftKings extends Bookmaker {
        String fallback(Exception e) {
            return "draftkings cache";
        }
    }

    static class FanDuel extends Bookmaker {
        String fallback(Exception e) {
            return "fanduel cache";
        }
    }

    @Test
    void eachSubclassAnswersWithItsOwnFallback() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FuseboxAutoConfiguration.class,
                        FuseboxAnnotationAutoConfiguration.class))
                .withPropertyValues("fusebox.store.type=memory")
                .withBean(DraftKings.class).withBean(FanDuel.class)
                .run(context -> {
                    assertThat(context.getBean(DraftKings.class).markets()).isEqualTo("live");
                    context.getBean(CircuitBreakerRegistry.class).trip("shared-feed", "maintenance", "alice");

                    assertThat(context.getBean(DraftKings.class).markets()).isEqualTo("draftkings cache");
                    assertThat(context.getBean(FanDuel.class).markets()).isEqualTo("fanduel cache");
                });
    }
}
