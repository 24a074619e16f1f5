package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.BreakerListener;
import dev.fusebox.spi.AuditAction;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.testing.Calls;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Automatic recovery: CLOSED -> OPEN -> HALF_OPEN -> CLOSED, and HALF_OPEN -> OPEN with backoff.
 * The config: 3 failures, 2 successes, retry after 5 s.
 */
class AutomaticRecoveryTest {

    private static final BreakerConfig AUTOMATIC_5S = BreakerConfig.builder()
            .recoveryPolicy(RecoveryPolicy.AUTOMATIC)
            .failureThreshold(3)
            .successThreshold(2)
            .openWait(Duration.ofSeconds(5))
            .maxOpenWait(Duration.ofSeconds(20))
            .build();

    private final ManualClock clock = new ManualClock();
    private final List<BreakerEvent.StateChanged> transitions = new CopyOnWriteArrayList<>();
    private final CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad())
            .defaultConfig(AUTOMATIC_5S)
            .listener(new BreakerListener() {
                @Override
                public void onStateChange(BreakerEvent.StateChanged event) {
                    transitions.add(event);
                }
            })
            .build();
    private final CircuitBreaker breaker = registry.breaker("test-breaker");

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void startsClosed() {
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void opensAfterTheFailureThreshold() {
        Calls.failTimes(breaker, 3);

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.status().nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(5));
    }

    @Test
    void rejectsWithoutCallingTheFunctionWhenOpen() {
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            try {
                breaker.call(() -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("Test error");
                }, Calls.TEST);
            } catch (Exception expected) {
                assertThat(expected).hasMessage("Test error");
            }
        }

        assertThatThrownBy(() -> breaker.call(calls::incrementAndGet, Calls.TEST))
                .isInstanceOfSatisfying(CircuitOpenException.class,
                        e -> assertThat(e.remainingMillis()).isEqualTo(5000));
        assertThat(calls).as("3 calls, not 4").hasValue(3);
    }

    @Test
    void rejectsAWholeOpenPeriodWithOneExceptionThatCountsDown() {
        Calls.failTimes(breaker, 3);
        Throwable first = catchThrowable(() -> Calls.succeed(breaker));
        clock.advance(Duration.ofMillis(1500));
        Throwable later = catchThrowable(() -> Calls.succeed(breaker));

        assertThat(later).as("nothing allocated per rejection").isSameAs(first);
        assertThat(later).isInstanceOfSatisfying(CircuitOpenException.class, e -> {
            assertThat(e.remainingMillis()).isEqualTo(3500);
            assertThat(e.state()).isEqualTo(State.OPEN);
        }).hasMessageContaining("trial calls in 3500 ms");

        clock.advance(Duration.ofSeconds(10));
        assertThat(((CircuitOpenException) first).remainingMillis()).as("never negative").isZero();
        Calls.failTimes(breaker, 1); // the trial fails: a new open period, a new exception
        assertThat(catchThrowable(() -> Calls.succeed(breaker))).isNotSameAs(first)
                .isInstanceOfSatisfying(CircuitOpenException.class, e -> assertThat(e.remainingMillis()).isEqualTo(10_000));
    }

    @Test
    void rejectsCallsBeyondTheTrialPermitsWithOneSharedException() {
        Calls.failTimes(breaker, 3);
        clock.advance(Duration.ofSeconds(5));
        CompletableFuture<String> trial = new CompletableFuture<>();
        breaker.callAsync(() -> trial, Calls.TEST); // holds the only permit

        Throwable first = catchThrowable(() -> Calls.succeed(breaker));
        Throwable second = catchThrowable(() -> Calls.succeed(breaker));

        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(second).isSameAs(first).isInstanceOfSatisfying(CircuitOpenException.class, e -> {
            assertThat(e.state()).isEqualTo(State.HALF_OPEN);
            assertThat(e.remainingMillis()).isZero();
        }).hasMessageContaining("no trial permit left");
        trial.complete("ok");
    }

    @Test
    void movesToHalfOpenAfterTheWaitAndClosesAfterTwoSuccesses() throws Exception {
        Calls.failTimes(breaker, 3);
        clock.advance(Duration.ofMillis(4999));
        assertThatThrownBy(() -> Calls.succeed(breaker)).isInstanceOf(CircuitOpenException.class);

        clock.advance(Duration.ofMillis(1));
        assertThat(Calls.succeed(breaker)).isEqualTo("ok");
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        Calls.succeed(breaker);

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.status().failures()).isZero();
        assertThat(transitions).extracting(BreakerEvent.StateChanged::to)
                .containsExactly(State.OPEN, State.HALF_OPEN, State.CLOSED);
        registry.flush();
        assertThat(registry.audit("test-breaker", 10)).extracting(AuditRecord::action)
                .containsExactly(AuditAction.RECOVERED, AuditAction.AUTO_TRIP);
    }

    @Test
    void reopensOnAFailedTrialWithADoubledWait() {
        Calls.failTimes(breaker, 3);
        clock.advance(Duration.ofSeconds(5));

        Calls.fail(breaker, "still down");

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.status().nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(10));
        assertThat(breaker.status().tripCount()).as("one incident, one trip").isEqualTo(1);
        assertThat(breaker.status().trippedAt()).isEqualTo(clock.instant().minusSeconds(5));
    }

    @Test
    void capsTheBackoffAtTheMaximumWait() {
        Calls.failTimes(breaker, 3);
        long[] expectedWaits = {10, 20, 20, 20};
        for (long wait : expectedWaits) {
            clock.advance(Duration.ofSeconds(60));
            Calls.fail(breaker, "still down");
            assertThat(breaker.status().nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(wait));
        }
    }

    @Test
    void startsBackoffAgainAfterClosing() throws Exception {
        Calls.failTimes(breaker, 3);
        clock.advance(Duration.ofSeconds(5));
        Calls.fail(breaker, "still down"); // wait 10 s now
        clock.advance(Duration.ofSeconds(10));
        Calls.succeed(breaker);
        Calls.succeed(breaker);

        Calls.failTimes(breaker, 3);

        assertThat(breaker.status().nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(5));
    }

    @Test
    void letsOnlyTheConfiguredNumberOfTrialCallsThroughAtOnce() throws Exception {
        Calls.failTimes(breaker, 3);
        clock.advance(Duration.ofSeconds(5));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<String> trial = pool.submit(() -> breaker.call(() -> {
                started.countDown();
                release.await();
                return "trial";
            }, Calls.TEST));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> Calls.succeed(breaker))
                    .isInstanceOfSatisfying(CircuitOpenException.class,
                            e -> assertThat(e.state()).isEqualTo(State.HALF_OPEN));
            release.countDown();
            assertThat(trial.get(10, TimeUnit.SECONDS)).isEqualTo("trial");
            assertThat(Calls.succeed(breaker)).isEqualTo("ok");
            assertThat(breaker.state()).isEqualTo(State.CLOSED);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void ignoredErrorsInHalfOpenGiveTheirPermitBack() throws Exception {
        CircuitBreakerRegistry r = Registries.manual(clock, new TestLoad(), AUTOMATIC_5S.toBuilder()
                .classifier(e -> e instanceof IllegalArgumentException ? Outcome.IGNORED : Outcome.FAILURE).build());
        CircuitBreaker b = r.breaker("k");
        Calls.failTimes(b, 3);
        clock.advance(Duration.ofSeconds(5));

        assertThatThrownBy(() -> b.call(() -> {
            throw new IllegalArgumentException("bad request");
        }, Calls.TEST)).isInstanceOf(IllegalArgumentException.class);

        assertThat(Calls.succeed(b)).isEqualTo("ok");
        r.close();
    }

    @Test
    void operatorCanResetAHalfOpenBreaker() throws Exception {
        Calls.failTimes(breaker, 3);
        clock.advance(Duration.ofSeconds(5));
        Calls.succeed(breaker);
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);

        assertThatThrownBy(() -> breaker.reset("inside cooldown", "alice", false))
                .as("the cooldown counts from the first trip of the episode")
                .isInstanceOf(ResetDeniedException.class);
        breaker.reset("verified healthy", "alice", true);

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(transitions).extracting(BreakerEvent.StateChanged::to)
                .containsExactly(State.OPEN, State.HALF_OPEN, State.CLOSED);
    }

    @Test
    void operatorCanTripAHalfOpenBreakerAndItThenLatches() throws Exception {
        Calls.failTimes(breaker, 3);
        clock.advance(Duration.ofSeconds(5));
        Calls.succeed(breaker);

        breaker.trip("upstream announced maintenance", "bob");
        clock.advance(Duration.ofHours(1));

        assertThatThrownBy(() -> Calls.succeed(breaker)).isInstanceOfSatisfying(CircuitOpenException.class,
                e -> assertThat(e.remainingMillis()).isEqualTo(-1));
        assertThat(breaker.status().tripCount()).as("still the same incident").isEqualTo(1);
        assertThat(transitions).extracting(BreakerEvent.StateChanged::to)
                .containsExactly(State.OPEN, State.HALF_OPEN, State.OPEN);
    }

    @Test
    void presetsMatchTheOriginalServicesDatabaseConfigs() {
        assertThat(Presets.READ).satisfies(c -> {
            assertThat(c.recoveryPolicy()).isEqualTo(RecoveryPolicy.AUTOMATIC);
            assertThat(c.failureThreshold()).isEqualTo(3);
            assertThat(c.openWait()).isEqualTo(Duration.ofSeconds(3));
            assertThat(c.maxOpenWait()).isEqualTo(Duration.ofSeconds(15));
            assertThat(c.successThreshold()).isEqualTo(2);
            assertThat(c.failureWindow()).isEqualTo(Duration.ofSeconds(30));
        });
        assertThat(Presets.WRITE).extracting(BreakerConfig::failureThreshold, BreakerConfig::openWait,
                        BreakerConfig::maxOpenWait, BreakerConfig::successThreshold, BreakerConfig::failureWindow)
                .containsExactly(5.0, Duration.ofSeconds(10), Duration.ofSeconds(60), 3, Duration.ofSeconds(60));
        assertThat(Presets.AUTH).extracting(BreakerConfig::failureThreshold, BreakerConfig::openWait,
                        BreakerConfig::maxOpenWait, BreakerConfig::successThreshold, BreakerConfig::failureWindow)
                .containsExactly(10.0, Duration.ofSeconds(5), Duration.ofSeconds(30), 2, Duration.ofSeconds(30));
        assertThat(Presets.DEFAULT.recoveryPolicy()).isEqualTo(RecoveryPolicy.MANUAL);
    }

    @Test
    void registryPicksPresetsByKeyThenLongestPrefix() {
        CircuitBreakerRegistry r = Registries.manual(clock, new TestLoad())
                .prefixPreset("db-", Presets.WRITE)
                .prefixPreset("db-read", Presets.READ)
                .preset("db-auth", Presets.AUTH)
                .build();

        assertThat(r.breaker("db-read-replica").config()).isSameAs(Presets.READ);
        assertThat(r.breaker("db-write").config()).isSameAs(Presets.WRITE);
        assertThat(r.breaker("db-auth").config()).isSameAs(Presets.AUTH);
        assertThat(r.breaker("draftkings").config()).isSameAs(BreakerConfig.defaults());
        r.close();
    }
}
