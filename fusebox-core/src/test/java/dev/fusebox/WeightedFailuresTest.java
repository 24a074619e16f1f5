package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.Calls;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Weighted failures: failures weigh 1.0, timeouts 0.5, threshold 10 in 60 s, a success resets the score. */
class WeightedFailuresTest {

    private final ManualClock clock = new ManualClock();
    private final CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad()).build();
    private final CircuitBreaker draftkings = registry.breaker("draftkings");

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void tripsAfterTenHardFailures() {
        // Given a closed breaker, when 10 calls fail hard
        Calls.failTimes(draftkings, 9);
        assertThat(draftkings.isTripped()).isFalse();
        Calls.fail(draftkings, "500 Internal Server Error");

        // Then it is tripped with a score of 10 and one trip
        BreakerStatus status = draftkings.status();
        assertThat(status.failures()).isEqualTo(10.0);
        assertThat(status.tripped()).isTrue();
        assertThat(status.state()).isEqualTo(State.OPEN);
        assertThat(status.tripCount()).isEqualTo(1);
        assertThat(status.lastError()).isEqualTo("500 Internal Server Error");
        assertThat(status.failedCalls()).isEqualTo(10);
    }

    @Test
    void tripsAfterTwentyTimeouts() {
        Calls.timeoutTimes(draftkings, 20);

        assertThat(draftkings.status().failures()).isEqualTo(10.0);
        assertThat(draftkings.isTripped()).isTrue();
        assertThat(draftkings.status().timeouts()).isEqualTo(20);
    }

    @Test
    void doesNotTripAfterNineteenTimeouts() {
        Calls.timeoutTimes(draftkings, 19);

        assertThat(draftkings.status().failures()).isEqualTo(9.5);
        assertThat(draftkings.isTripped()).isFalse();
    }

    @Test
    void countsOneTimeoutAsHalfAFailure() {
        // the TimeoutException is re-thrown and weighs 0.5
        Exception seen = Calls.timeout(draftkings);

        assertThat(seen).isInstanceOf(TimeoutException.class).hasMessage("Request timeout");
        assertThat(draftkings.status().failures()).isEqualTo(0.5);
    }

    @Test
    void countsOneHardFailureAsOne() {
        // the original error is re-thrown and weighs 1.0
        Exception seen = Calls.fail(draftkings, "500 Internal Server Error");

        assertThat(seen).isInstanceOf(IllegalStateException.class).hasMessage("500 Internal Server Error");
        assertThat(draftkings.status().failures()).isEqualTo(1.0);
        assertThat(draftkings.status().lastFailureAt()).isEqualTo(clock.instant());
    }

    @Test
    void tripsOnMixedFailuresAndTimeoutsReachingTen() {
        Calls.failTimes(draftkings, 6);
        Calls.timeoutTimes(draftkings, 7);
        assertThat(draftkings.isTripped()).isFalse(); // 9.5
        Calls.timeoutTimes(draftkings, 1);

        assertThat(draftkings.isTripped()).isTrue();
    }

    @Test
    void successResetsTheScoreAndRecordsLatency() throws Exception {
        // after a success, failures == 0 and avgLatency == 150 (first success)
        CircuitBreakerRegistry timed = Registries.manual(clock, new TestLoad(),
                BreakerConfig.builder().latencySampleEvery(1).build());
        CircuitBreaker fanduel = timed.breaker("fanduel");
        Calls.failTimes(fanduel, 5);

        String result = fanduel.call(() -> {
            clock.advanceMillis(150);
            return "data";
        }, Calls.TEST);

        assertThat(result).isEqualTo("data");
        assertThat(fanduel.status().failures()).isZero();
        assertThat(fanduel.status().avgLatencyMs()).isEqualTo(150.0);
        timed.close();
    }

    @Test
    void keepsTheScoreAcrossSuccessesWhenConfigured() throws Exception {
        CircuitBreakerRegistry r = Registries.manual(clock, new TestLoad(),
                BreakerConfig.builder().successResetsFailures(false).build());
        CircuitBreaker b = r.breaker("k");
        Calls.failTimes(b, 5);
        Calls.succeed(b);
        Calls.failTimes(b, 5);

        assertThat(b.isTripped()).isTrue();
        r.close();
    }

    @Test
    void forgetsFailuresOlderThanTheWindow() {
        Calls.failTimes(draftkings, 9);
        clock.advance(Duration.ofSeconds(61));

        Calls.failTimes(draftkings, 1);

        assertThat(draftkings.status().failures()).isEqualTo(1.0);
        assertThat(draftkings.isTripped()).isFalse();
    }

    @Test
    void keepsFailuresInsideTheWindow() {
        Calls.failTimes(draftkings, 9);
        clock.advance(Duration.ofSeconds(58));

        Calls.failTimes(draftkings, 1);

        assertThat(draftkings.isTripped()).isTrue();
    }

    @Test
    void classifiesTimeoutsByTypeAndMessage() {
        assertThat(OutcomeClassifier.DEFAULT.classify(new TimeoutException())).isEqualTo(Outcome.TIMEOUT);
        assertThat(OutcomeClassifier.DEFAULT.classify(new HttpTimeoutException("x"))).isEqualTo(Outcome.TIMEOUT);
        assertThat(OutcomeClassifier.DEFAULT.classify(new SocketTimeoutException())).isEqualTo(Outcome.TIMEOUT);
        assertThat(OutcomeClassifier.DEFAULT.classify(new RuntimeException("Read TIMEOUT on socket")))
                .isEqualTo(Outcome.TIMEOUT);
        assertThat(OutcomeClassifier.DEFAULT.classify(new RuntimeException("wrapped", new TimeoutException())))
                .isEqualTo(Outcome.TIMEOUT);
        assertThat(OutcomeClassifier.DEFAULT.classify(new RuntimeException("503 Service Unavailable")))
                .isEqualTo(Outcome.FAILURE);
        assertThat(OutcomeClassifier.DEFAULT.classify(new RuntimeException((String) null)))
                .isEqualTo(Outcome.FAILURE);
        assertThat(OutcomeClassifier.DEFAULT.classify(new InterruptedException()))
                .as("our own cancellation is not the upstream's failure").isEqualTo(Outcome.IGNORED);
    }

    @Test
    void aRefusalByABreakerNestedInTheCallIsNotThisBreakersFailure() {
        registry.trip("draftkings", "planned maintenance", "alice");
        CircuitBreaker marketsDb = registry.breaker("markets-db");
        for (int i = 0; i < 20; i++) {
            try {
                marketsDb.call(() -> draftkings.call(() -> "odds", Calls.TEST), Calls.TEST);
            } catch (CircuitOpenException refusedByTheInnerBreaker) {
                assertThat(refusedByTheInnerBreaker.key()).isEqualTo("draftkings");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        assertThat(marketsDb.isTripped()).as("one operator trip does not latch the breakers around it").isFalse();
        assertThat(marketsDb.failureScore()).isZero();
        assertThat(OutcomeClassifier.DEFAULT.classify(new java.util.concurrent.CompletionException(
                new CircuitOpenException("draftkings", State.OPEN, 1_000, "tripped"))))
                .as("wrapped by an asynchronous call").isEqualTo(Outcome.IGNORED);
        CircuitOpenException saysTimeout = new CircuitOpenException("draftkings", State.OPEN, 1_000,
                "tripped by alice: provider timeouts");
        assertThat(OutcomeClassifier.DEFAULT.classify(new java.util.concurrent.ExecutionException(saysTimeout)))
                .as("a wrapper that copies a refusal's message about timeouts").isEqualTo(Outcome.IGNORED);
        assertThat(OutcomeClassifier.DEFAULT.classify(new LoadShedException("draftkings", "graphBuild", 90, 0.9, 0.85)))
                .isEqualTo(Outcome.IGNORED);
    }

    @Test
    void ignoredErrorsDoNotCount() {
        CircuitBreakerRegistry r = Registries.manual(clock, new TestLoad(), BreakerConfig.builder()
                .classifier(e -> e instanceof IllegalArgumentException ? Outcome.IGNORED : Outcome.FAILURE)
                .build());
        CircuitBreaker b = r.breaker("k");
        for (int i = 0; i < 20; i++) {
            try {
                b.call(() -> {
                    throw new IllegalArgumentException("404 Not Found");
                }, Calls.TEST);
            } catch (Exception expected) {
                assertThat(expected).isInstanceOf(IllegalArgumentException.class);
            }
        }

        assertThat(b.isTripped()).isFalse();
        assertThat(b.status().failures()).isZero();
        assertThat(b.status().calls()).isEqualTo(20);
        r.close();
    }

    @Test
    void aThrowingClassifierCountsAsFailure() {
        CircuitBreakerRegistry r = Registries.manual(clock, new TestLoad(), BreakerConfig.builder()
                .classifier(e -> {
                    throw new IllegalStateException("classifier bug");
                }).build());
        CircuitBreaker b = r.breaker("k");

        Exception seen = Calls.fail(b, "boom");

        assertThat(seen).hasMessage("boom");
        assertThat(b.status().failures()).isEqualTo(1.0);
        r.close();
    }

    /** A breaker that succeeded once shows its latency, although only one call in 16 is timed. */
    @Test
    void theFirstSuccessGivesAnAverageLatencyWhateverTheSampling() throws Exception {
        try (CircuitBreakerRegistry sampled = Registries.manual(clock, new TestLoad(), BreakerConfig.defaults())) {
            for (int i = 0; i < 20; i++) { // with chance alone, all 20 would be timed once in 16^20
                sampled.call("bookmaker-" + i, () -> {
                    clock.advanceMillis(40);
                    return "ok";
                }, Calls.TEST);
            }

            assertThat(sampled.statusAll()).extracting(BreakerStatus::avgLatencyMs).containsOnly(40.0);
        }
    }
}
