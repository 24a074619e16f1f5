package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.BreakerListener;
import dev.fusebox.spi.AuditAction;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many threads, known outcomes, exact counts at the end. Bounded: 8 threads, fixed call counts. */
class ConcurrencyTest {

    private static final int THREADS = 8;
    private static final int CALLS = 20_000;

    private final ManualClock clock = new ManualClock();
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void close() {
        pool.shutdownNow();
    }

    @Test
    void countsEveryOutcomeExactly() throws Exception {
        try (CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad(),
                BreakerConfig.builder().failureThreshold(1_000_000).successResetsFailures(false).build())) {
            CircuitBreaker b = registry.breaker("shared");
            // thread t, call i: fails hard when i % 10 == 0, times out when i % 10 == 1, else succeeds
            runOnAllThreads(t -> {
                for (int i = 0; i < CALLS; i++) {
                    int n = i;
                    try {
                        b.call(() -> {
                            if (n % 10 == 0) {
                                throw new IllegalStateException("500");
                            }
                            if (n % 10 == 1) {
                                throw new TimeoutException("timeout");
                            }
                            return n;
                        }, CallContext.DEFAULT);
                    } catch (IllegalStateException | TimeoutException expected) {
                        // counted by the breaker
                    }
                }
                return null;
            });

            BreakerStatus s = b.status();
            long total = (long) THREADS * CALLS;
            assertThat(s.calls()).isEqualTo(total);
            assertThat(s.failedCalls()).isEqualTo(total / 10);
            assertThat(s.timeouts()).isEqualTo(total / 10);
            assertThat(s.successes()).isEqualTo(total - total / 5);
            assertThat(s.failures()).isEqualTo(total / 10 * 1.0 + total / 10 * 0.5);
            assertThat(registry.inFlightCalls()).isZero();
        }
    }

    @Test
    void tripsExactlyOnceWhenManyThreadsFailTogether() throws Exception {
        List<BreakerEvent.Tripped> trips = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad())
                .listener(new BreakerListener() {
                    @Override
                    public void onTrip(BreakerEvent.Tripped event) {
                        trips.add(event);
                    }
                }).build()) {
            CircuitBreaker b = registry.breaker("flaky");
            AtomicInteger ran = new AtomicInteger();
            AtomicInteger rejected = new AtomicInteger();
            runOnAllThreads(t -> {
                for (int i = 0; i < 1000; i++) {
                    try {
                        b.call(() -> {
                            ran.incrementAndGet();
                            throw new IllegalStateException("down");
                        }, CallContext.DEFAULT);
                    } catch (CircuitOpenException e) {
                        rejected.incrementAndGet();
                    } catch (IllegalStateException expected) {
                        // a failure before the trip
                    }
                }
                return null;
            });
            registry.flush();

            BreakerStatus s = b.status();
            assertThat(s.tripCount()).isEqualTo(1);
            assertThat(trips).hasSize(1);
            assertThat(registry.audit("flaky", 100)).extracting(AuditRecord::action).containsExactly(AuditAction.AUTO_TRIP);
            assertThat(ran.get() + rejected.get()).isEqualTo(THREADS * 1000);
            assertThat(s.rejections()).isEqualTo(rejected.get());
            assertThat(s.failedCalls()).isEqualTo(ran.get());
            // calls admitted before the trip may finish after it: at least 10, at most one per thread more
            assertThat(ran.get()).isBetween(10, 10 + THREADS);
        }
    }

    @Test
    void concurrentResetsAndTripsLeaveOneConsistentState() throws Exception {
        try (CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad(),
                BreakerConfig.builder().resetCooldown(java.time.Duration.ZERO).build())) {
            CircuitBreaker b = registry.breaker("contended");
            runOnAllThreads(t -> {
                for (int i = 0; i < 500; i++) {
                    if (t % 2 == 0) {
                        b.trip("t" + t, "user" + t);
                    } else {
                        b.reset("r" + t, "user" + t, false);
                    }
                }
                return null;
            });

            BreakerStatus s = b.status();
            assertThat(s.tripped()).isEqualTo(s.state() != State.CLOSED);
            assertThat(s.tripped() ? s.trippedBy() : s.lastResetBy()).startsWith("user");
            assertThat(registry.audit("contended", 10_000)).hasSize(THREADS * 500);
        }
    }

    private void runOnAllThreads(ThreadBody body) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Void>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            Callable<Void> task = () -> {
                start.await();
                return body.run(id);
            };
            futures.add(pool.submit(task));
        }
        start.countDown();
        for (Future<Void> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
    }

    @FunctionalInterface
    private interface ThreadBody {
        Void run(int thread) throws Exception;
    }
}
