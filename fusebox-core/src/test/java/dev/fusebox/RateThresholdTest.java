package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.Calls;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Seed 003-004 style thresholds: failure rate and slow calls over a window with a minimum call count. */
class RateThresholdTest {

    private final ManualClock clock = new ManualClock();
    private CircuitBreakerRegistry registry;

    @AfterEach
    void close() {
        registry.close();
    }

    private CircuitBreaker breaker(BreakerConfig config) {
        registry = Registries.manual(clock, new TestLoad(), config);
        return registry.breaker("api");
    }

    @Test
    void tripsWhenTheFailureRateReachesTheThresholdAfterTheMinimumCalls() throws Exception {
        CircuitBreaker b = breaker(BreakerConfig.builder().failureThreshold(1000)
                .failureRateThreshold(0.5).minimumCalls(10).build());
        for (int i = 0; i < 4; i++) {
            Calls.succeed(b);
            Calls.fail(b);
        }
        assertThat(b.isTripped()).as("8 calls are below the minimum").isFalse();
        assertThat(b.status().failureRate()).isEqualTo(0.5);

        Calls.succeed(b);
        Calls.fail(b);

        assertThat(b.isTripped()).isTrue();
        assertThat(b.status().tripReason()).startsWith("failure rate 50% within 60s");
    }

    @Test
    void staysClosedBelowTheFailureRate() throws Exception {
        CircuitBreaker b = breaker(BreakerConfig.builder().failureThreshold(1000)
                .failureRateThreshold(0.5).minimumCalls(10).build());
        for (int i = 0; i < 10; i++) {
            Calls.succeed(b);
            Calls.succeed(b);
            Calls.fail(b);
        }

        assertThat(b.isTripped()).isFalse();
        assertThat(b.status().failureRate()).isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void forgetsCallsOutsideTheWindow() throws Exception {
        CircuitBreaker b = breaker(BreakerConfig.builder().failureThreshold(1000)
                .failureRateThreshold(0.5).minimumCalls(4).failureWindow(Duration.ofSeconds(10)).build());
        Calls.fail(b);
        Calls.fail(b);
        Calls.fail(b);
        clock.advance(Duration.ofSeconds(11));
        Calls.succeed(b);
        Calls.succeed(b);
        Calls.succeed(b);

        Calls.fail(b);

        assertThat(b.isTripped()).isFalse();
    }

    @Test
    void tripsOnTooManySlowCalls() throws Exception {
        CircuitBreaker b = breaker(BreakerConfig.builder().slowCallThreshold(Duration.ofMillis(500))
                .slowCallRateThreshold(0.5).minimumCalls(4).build());
        Calls.succeed(b);
        Calls.succeed(b);
        b.call(() -> {
            clock.advanceMillis(600);
            return "slow";
        }, Calls.TEST);
        assertThat(b.isTripped()).isFalse();

        b.call(() -> {
            clock.advanceMillis(500);
            return "slow";
        }, Calls.TEST);

        assertThat(b.isTripped()).isTrue();
        assertThat(b.status().slowCalls()).isEqualTo(2);
        assertThat(b.status().tripReason()).startsWith("slow-call rate 50%");
    }
}
