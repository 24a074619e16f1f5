package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.Calls;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Manual recovery, the default: a tripped breaker stays tripped until an operator resets it. No auto-reset. */
class ManualRecoveryTest {

    private final ManualClock clock = new ManualClock();
    private final CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad()).build();
    private final CircuitBreaker breaker = registry.breaker("draftkings");

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void staysOpenForeverWithoutAnOperator() {
        Calls.failTimes(breaker, 10);

        for (int hour = 0; hour < 48; hour++) {
            clock.advance(Duration.ofHours(1));
            assertThatThrownBy(() -> Calls.succeed(breaker)).isInstanceOf(CircuitOpenException.class);
        }
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.status().nextAttemptAt()).isNull();
    }

    @Test
    void rejectsWithoutRunningTheCallAndWithoutStackTrace() {
        Calls.failTimes(breaker, 10);
        int[] ran = {0};

        Throwable first = catchRejection(() -> breaker.call(() -> ran[0]++, Calls.TEST));
        Throwable second = catchRejection(() -> breaker.call(() -> ran[0]++, Calls.TEST));

        assertThat(ran[0]).isZero();
        assertThat(first).isInstanceOf(CircuitOpenException.class).hasMessageContaining("manual reset required");
        assertThat(first.getStackTrace()).isEmpty();
        assertThat(second).as("a latched breaker reuses its immutable rejection").isSameAs(first);
        first.addSuppressed(new RuntimeException("ignored"));
        assertThat(first.getSuppressed()).isEmpty();
    }

    @Test
    void closesOnlyOnReset() throws Exception {
        Calls.failTimes(breaker, 10);
        clock.advance(Duration.ofMinutes(5));

        breaker.reset("API team cleared incident", "alice", false);

        assertThat(Calls.succeed(breaker)).isEqualTo("ok");
        assertThat(breaker.status().tripCount()).isEqualTo(1);
    }

    @Test
    void countsEachTripOnce() {
        Calls.failTimes(breaker, 10);
        clock.advance(Duration.ofMinutes(2));
        breaker.reset("r", "alice", false);
        Calls.failTimes(breaker, 10);

        assertThat(breaker.status().tripCount()).isEqualTo(2);
    }

    private static Throwable catchRejection(ThrowingCall call) {
        try {
            call.run();
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("expected a rejection");
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }
}
