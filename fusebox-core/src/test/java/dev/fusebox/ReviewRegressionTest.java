package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.BreakerListener;
import dev.fusebox.testing.Calls;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Regressions found in review; each test failed on the code before its fix. */
class ReviewRegressionTest {

    private static final BreakerConfig AUTO = BreakerConfig.builder()
            .recoveryPolicy(RecoveryPolicy.AUTOMATIC)
            .failureThreshold(1)
            .successThreshold(1)
            .openWait(Duration.ofSeconds(5))
            .maxOpenWait(Duration.ofSeconds(20))
            .build();

    private final ManualClock clock = new ManualClock();

    private CircuitBreaker trippedAndWaitedOut(CircuitBreakerRegistry registry) {
        CircuitBreaker breaker = registry.breaker("b");
        Calls.fail(breaker);
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        clock.advance(Duration.ofSeconds(5));
        return breaker;
    }

    @Test
    void asyncSupplierThrowingAnErrorGivesItsTrialPermitBack() throws Exception {
        try (CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad(), AUTO)) {
            CircuitBreaker breaker = trippedAndWaitedOut(registry);

            assertThatThrownBy(() -> breaker.callAsync(() -> {
                throw new AssertionError("bug in the client");
            }, Calls.TEST)).isInstanceOf(AssertionError.class);

            assertThat(registry.inFlightCalls()).isZero();
            assertThat(Calls.succeed(breaker)).isEqualTo("ok");
        }
    }

    @Test
    void aTrialThatNeverFinishesOpensTheBreakerAgainInsteadOfHoldingHalfOpen() throws Exception {
        try (CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad(), AUTO)) {
            CircuitBreaker breaker = trippedAndWaitedOut(registry);
            CompletableFuture<String> hung = new CompletableFuture<>();
            breaker.callAsync(() -> hung, Calls.TEST); // the upstream does not answer
            assertThatThrownBy(() -> Calls.succeed(breaker)).isInstanceOf(CircuitOpenException.class);

            clock.advance(Duration.ofSeconds(5)); // the trial timeout: the open wait of this level

            assertThatThrownBy(() -> Calls.succeed(breaker)).isInstanceOf(CircuitOpenException.class);
            assertThat(breaker.state()).isEqualTo(State.OPEN);
            assertThat(breaker.status().nextAttemptAt()).as("one backoff level up: 10 s")
                    .isEqualTo(clock.instant().plusSeconds(10));
        }
    }

    /** The rule: trialCalls bounds the trials in flight at once, across half-open periods. */
    @Test
    void neverRunsMoreThanTrialCallsTrialsAtOnceEvenWhenOneHangs() throws Exception {
        try (CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad(), AUTO)) {
            CircuitBreaker breaker = trippedAndWaitedOut(registry);
            CompletableFuture<String> hung = new CompletableFuture<>();
            java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
            breaker.callAsync(() -> {
                started.incrementAndGet();
                return hung;
            }, Calls.TEST);

            for (int period = 0; period < 4; period++) {
                clock.advance(Duration.ofSeconds(30)); // past any open wait and trial timeout
                assertThatThrownBy(() -> breaker.call(() -> started.incrementAndGet(), Calls.TEST))
                        .isInstanceOf(CircuitOpenException.class);
            }
            assertThat(started.get()).as("the hung trial holds the only slot").isEqualTo(1);

            hung.complete("late"); // the hung trial ends: its slot is free again
            clock.advance(Duration.ofSeconds(30));
            assertThat(Calls.succeed(breaker)).isEqualTo("ok");
            assertThat(breaker.state()).isEqualTo(State.CLOSED);
        }
    }

    @Test
    void automaticRecoveryClearsTheRateWindowsToo() throws Exception {
        BreakerConfig rate = AUTO.toBuilder().failureThreshold(1000).failureRateThreshold(0.5).minimumCalls(4).build();
        try (CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad(), rate)) {
            CircuitBreaker breaker = registry.breaker("b");
            Calls.failTimes(breaker, 4);
            clock.advance(Duration.ofSeconds(5));
            Calls.succeed(breaker);
            Calls.succeed(breaker);
            Calls.succeed(breaker);

            Calls.fail(breaker); // 1 in 4 since recovery

            assertThat(breaker.state()).isEqualTo(State.CLOSED);
        }
    }

    @Test
    void aClassifierAnsweringSuccessCountsASuccess() {
        BreakerConfig cfg = BreakerConfig.builder().failureThreshold(3)
                .classifier(e -> e instanceof IllegalArgumentException ? Outcome.SUCCESS : Outcome.FAILURE).build();
        try (CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad(), cfg)) {
            CircuitBreaker breaker = registry.breaker("b");
            Calls.failTimes(breaker, 2);

            assertThatThrownBy(() -> breaker.call(() -> {
                throw new IllegalArgumentException("404 Not Found");
            }, Calls.TEST)).isInstanceOf(IllegalArgumentException.class);

            assertThat(breaker.status().successes()).isEqualTo(1);
            assertThat(breaker.status().failures()).isZero();
        }
    }

    @Test
    void anErrorCountsTheSameWithAndWithoutACallTimeout() {
        try (CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad())
                .preset("timed", BreakerConfig.builder().callTimeout(Duration.ofSeconds(10)).build()).build()) {
            for (String key : List.of("plain", "timed")) {
                assertThatThrownBy(() -> registry.breaker(key).call(() -> {
                    throw new AssertionError("boom");
                }, Calls.TEST)).isInstanceOf(AssertionError.class);
            }

            assertThat(registry.breaker("timed").status().failures()).isZero();
            assertThat(registry.breaker("plain").status().failures()).isZero();
        }
    }

    @Test
    void theFallbackAnswersOnlyThisBreakersRejectionEvenWithATimeout() {
        try (CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad())
                .preset("outer-timed", BreakerConfig.builder().callTimeout(Duration.ofSeconds(10)).build()).build()) {
            registry.trip("inner", "maintenance", "alice");
            for (String outer : List.of("outer-plain", "outer-timed")) {
                assertThatThrownBy(() -> registry.breaker(outer).call(
                        () -> registry.call("inner", () -> "x", CallContext.DEFAULT), CallContext.DEFAULT,
                        rejection -> "FALLBACK"))
                        .as(outer).isInstanceOf(CircuitOpenException.class);
            }
        }
    }

    @Test
    void stateChangeEventsCarryIncreasingVersions() throws Exception {
        List<BreakerEvent.StateChanged> seen = new CopyOnWriteArrayList<>();
        try (CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad()).defaultConfig(AUTO)
                .listener(new BreakerListener() {
                    @Override
                    public void onStateChange(BreakerEvent.StateChanged event) {
                        seen.add(event);
                    }
                }).build()) {
            CircuitBreaker breaker = trippedAndWaitedOut(registry);
            Calls.succeed(breaker);
            breaker.trip("maintenance", "alice");

            assertThat(seen).extracting(e -> e.change().version()).containsExactly(1L, 2L, 3L, 4L);
        }
    }

    @Test
    void aBlockingLoadProbeDelaysNeitherTheRegistryNorCallTimeouts() throws Exception {
        java.util.concurrent.CountDownLatch probeEntered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch releaseProbe = new java.util.concurrent.CountDownLatch(1);
        RegistryBuilder builder = CircuitBreakerRegistry.builder()
                .loadSampleInterval(Duration.ofMillis(10))
                .loadProbe(() -> {
                    probeEntered.countDown();
                    try {
                        releaseProbe.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return 0.1;
                })
                .defaultConfig(BreakerConfig.builder().callTimeout(Duration.ofMillis(50)).build());
        // build() used to take the first sample itself: it waited for the stuck probe.
        CompletableFuture<CircuitBreakerRegistry> built = CompletableFuture.supplyAsync(builder::build);
        try (CircuitBreakerRegistry registry = built.get(10, TimeUnit.SECONDS)) {
            assertThat(probeEntered.await(30, TimeUnit.SECONDS)).isTrue(); // the background thread is now stuck

            CompletableFuture<String> never = new CompletableFuture<>();
            CompletableFuture<String> result = registry.breaker("k").callAsync(() -> never, Calls.TEST);
            // Before the fix the timer thread was stuck in the probe and this waited 30 s, then failed.
            assertThatThrownBy(() -> result.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(CallTimeoutException.class);
        } finally {
            releaseProbe.countDown();
        }
    }
}
