package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.Calls;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Durations are measured on the monotonic clock: stepping the wall clock (NTP, an operator
 * setting the date) neither stretches nor shortens an open wait, a cooldown or a trial timeout.
 */
class WallClockStepTest {

    private static final BreakerConfig AUTOMATIC = BreakerConfig.builder()
            .recoveryPolicy(RecoveryPolicy.AUTOMATIC)
            .failureThreshold(1)
            .successThreshold(1)
            .openWait(Duration.ofMillis(200))
            .build();

    private final ManualClock clock = new ManualClock();
    private CircuitBreakerRegistry registry;

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void anOpenWaitLastsItsDurationWhenTheWallClockStepsBack() throws Exception {
        registry = Registries.manual(clock, new TestLoad(), AUTOMATIC);
        CircuitBreaker b = registry.breaker("draftkings");
        Calls.fail(b);

        clock.stepWall(Duration.ofHours(-1));
        assertThatThrownBy(() -> Calls.succeed(b)).isInstanceOfSatisfying(CircuitOpenException.class,
                e -> assertThat(e.remainingMillis()).isEqualTo(200));
        clock.advance(Duration.ofMillis(200));

        assertThat(Calls.succeed(b)).as("the trial call runs 200 ms after the trip, not an hour later")
                .isEqualTo("ok");
        assertThat(b.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void anOpenWaitDoesNotEndEarlyWhenTheWallClockStepsForward() {
        registry = Registries.manual(clock, new TestLoad(), AUTOMATIC);
        CircuitBreaker b = registry.breaker("draftkings");
        Calls.fail(b);

        clock.stepWall(Duration.ofHours(1));

        assertThatThrownBy(() -> Calls.succeed(b)).isInstanceOf(CircuitOpenException.class);
    }

    @Test
    void theCooldownLastsItsDurationWhenTheWallClockStepsBack() {
        registry = Registries.manual(clock, new TestLoad(), BreakerConfig.defaults());
        registry.trip("fanduel", "maintenance", "alice");

        clock.stepWall(Duration.ofHours(-1));
        clock.advance(Duration.ofSeconds(60));

        assertThat(registry.reset("fanduel", "done", "bob", false).status().tripped())
                .as("60 s after the trip, not an hour and 60 s").isFalse();
    }

    @Test
    void theCooldownDoesNotEndEarlyWhenTheWallClockStepsForward() {
        registry = Registries.manual(clock, new TestLoad(), BreakerConfig.defaults());
        registry.trip("fanduel", "maintenance", "alice");

        clock.stepWall(Duration.ofHours(1));
        clock.advance(Duration.ofSeconds(30));

        assertThatThrownBy(() -> registry.reset("fanduel", "too soon", "bob", false))
                .isInstanceOfSatisfying(ResetDeniedException.class,
                        e -> assertThat(e.retryAfterMillis()).isEqualTo(30_000));
    }

    @Test
    void aTrialTimeoutIsNotCutShortWhenTheWallClockStepsForward() throws Exception {
        registry = Registries.manual(clock, new TestLoad(), AUTOMATIC);
        CircuitBreaker b = registry.breaker("draftkings");
        Calls.fail(b);
        clock.advance(Duration.ofMillis(200));
        b.callAsync(CompletableFuture::new, Calls.TEST); // a trial that does not answer yet

        clock.stepWall(Duration.ofHours(1));
        assertThatThrownBy(() -> Calls.succeed(b)).isInstanceOf(CircuitOpenException.class);

        assertThat(b.state()).as("still waiting for its trial, not timed out by the step").isEqualTo(State.HALF_OPEN);
    }
}
