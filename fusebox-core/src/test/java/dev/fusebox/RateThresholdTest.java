package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.Calls;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rate thresholds: failure rate and slow calls over a window with a minimum call count. */
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

    /** Fault: only failures looked at the rates, so a rate crossed by a success waited for the next failure. */
    @Test
    void aSuccessThatCarriesTheFailureRateOverTheThresholdTrips() throws Exception {
        CircuitBreaker b = breaker(BreakerConfig.builder().failureThreshold(1000)
                .failureRateThreshold(0.5).minimumCalls(5).build());
        Calls.fail(b);
        Calls.fail(b);
        Calls.fail(b);
        Calls.succeed(b);
        assertThat(b.isTripped()).as("4 calls are below the minimum").isFalse();

        Calls.succeed(b); // 3 of 5 failed: 60 %

        assertThat(b.isTripped()).isTrue();
        assertThat(b.status().tripReason()).startsWith("failure rate 60%");
    }

    @Test
    void aFastSuccessThatCarriesTheSlowCallRateOverTheThresholdTrips() throws Exception {
        CircuitBreaker b = breaker(BreakerConfig.builder().slowCallThreshold(Duration.ofMillis(500))
                .slowCallRateThreshold(0.5).minimumCalls(4).build());
        for (int i = 0; i < 2; i++) {
            b.call(() -> {
                clock.advanceMillis(600);
                return "slow";
            }, Calls.TEST);
        }
        Calls.succeed(b);
        assertThat(b.isTripped()).as("3 calls are below the minimum").isFalse();

        Calls.succeed(b); // fast, but 2 of 4 were slow

        assertThat(b.isTripped()).isTrue();
        assertThat(b.status().tripReason()).startsWith("slow-call rate 50%");
    }

    /**
     * Fault: the rate read the call total and then the failures, written separately, so failures
     * recorded in between inflated it (above 1.0 at times) and tripped a breaker whose callers
     * never failed more than half the time. Eight threads alternate failure and success; at
     * any moment at most 8 more failures than successes are recorded, so with 40 calls or more
     * the true rate never exceeds (n + 8) / (2n + 8) = 0.6. 400,000 calls on two cores.
     */
    @Test
    void concurrentCallersNeverReadAFailureRateAboveTheShareActuallyRecorded() throws Exception {
        BreakerConfig config = BreakerConfig.builder().failureThreshold(1_000_000).successResetsFailures(false)
                .failureRateThreshold(0.9).minimumCalls(40).failureWindow(Duration.ofHours(1)).build();
        registry = CircuitBreakerRegistry.builder().loadSampleInterval(Duration.ZERO).defaultConfig(config).build();
        CircuitBreaker b = registry.breaker("api");
        int threads = 8;
        int callsPerThread = 50_000;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        java.util.concurrent.atomic.AtomicReference<Double> highest = new java.util.concurrent.atomic.AtomicReference<>(0.0);
        try {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < callsPerThread && !b.isTripped(); i++) {
                        try {
                            b.call(() -> {
                                throw new IllegalStateException("500");
                            }, Calls.TEST);
                        } catch (IllegalStateException expected) {
                            // counted
                        } catch (CircuitOpenException tripped) {
                            return null; // asserted below
                        }
                        try {
                            b.call(() -> "ok", Calls.TEST);
                        } catch (CircuitOpenException tripped) {
                            return null;
                        }
                        if (i > 0 && i % 512 == 0) {
                            highest.accumulateAndGet(b.status().failureRate(), Math::max);
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(b.isTripped()).as("tripped with reason: " + b.status().tripReason()).isFalse();
        assertThat(highest.get()).isLessThanOrEqualTo(0.6);
        assertThat(b.status().failureRate()).isEqualTo(0.5);
    }
}
