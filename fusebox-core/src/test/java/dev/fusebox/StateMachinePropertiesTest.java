package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.Calls;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The manual-recovery breaker against a model a reader can check by eye: a score that adds 1 per
 * failure and 0.5 per timeout, goes to 0 on success, trips at 10, and a tripped breaker that
 * rejects everything until a reset outside the cooldown (or forced).
 */
class StateMachinePropertiesTest {

    enum Action { SUCCESS, FAILURE, TIMEOUT, WAIT_10S, TRIP, RESET, FORCE_RESET }

    @Provide
    Arbitrary<List<Action>> actions() {
        return Arbitraries.of(Action.class).list().ofMinSize(1).ofMaxSize(200);
    }

    @Property(tries = 300)
    void breakerBehavesLikeTheModel(@ForAll("actions") List<Action> actions) throws Exception {
        ManualClock clock = new ManualClock();
        // A one-hour window: no failure expires during a run, so the model need not know about buckets.
        try (CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad(),
                BreakerConfig.builder().failureWindow(Duration.ofHours(1)).build())) {
            CircuitBreaker b = registry.breaker("model");
            double score = 0;
            boolean tripped = false;
            long trippedAtMillis = 0;
            long tripCount = 0;
            long rejections = 0;

            for (Action action : actions) {
                switch (action) {
                    case SUCCESS, FAILURE, TIMEOUT -> {
                        if (tripped) {
                            rejections++;
                            boolean rejected = false;
                            try {
                                Calls.succeed(b);
                            } catch (CircuitOpenException e) {
                                rejected = true;
                            }
                            assertThat(rejected).isTrue();
                        } else if (action == Action.SUCCESS) {
                            assertThat(Calls.succeed(b)).isEqualTo("ok");
                            score = 0;
                        } else {
                            if (action == Action.FAILURE) {
                                Calls.fail(b);
                            } else {
                                Calls.timeout(b);
                            }
                            score += action == Action.FAILURE ? 1.0 : 0.5;
                            if (score >= 10) {
                                tripped = true;
                                tripCount++;
                                trippedAtMillis = clock.wallMillis();
                            }
                        }
                    }
                    case WAIT_10S -> clock.advance(Duration.ofSeconds(10));
                    case TRIP -> {
                        b.trip("maintenance", "alice");
                        if (!tripped) {
                            tripCount++;
                        }
                        tripped = true;
                        trippedAtMillis = clock.wallMillis();
                    }
                    case RESET, FORCE_RESET -> {
                        boolean force = action == Action.FORCE_RESET;
                        boolean inCooldown = tripped && clock.wallMillis() - trippedAtMillis < 60_000;
                        boolean denied = false;
                        try {
                            b.reset("r", "bob", force);
                        } catch (ResetDeniedException e) {
                            denied = true;
                        }
                        assertThat(denied).isEqualTo(inCooldown && !force);
                        if (!denied) {
                            tripped = false;
                            score = 0;
                        }
                    }
                }
                BreakerStatus s = b.status();
                assertThat(s.tripped()).as("tripped after %s", action).isEqualTo(tripped);
                assertThat(s.failures()).as("score after %s", action).isEqualTo(score);
                assertThat(s.tripCount()).isEqualTo(tripCount);
                assertThat(s.rejections()).isEqualTo(rejections);
            }
        }
    }
}
