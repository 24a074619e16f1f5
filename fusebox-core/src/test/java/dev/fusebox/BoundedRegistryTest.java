package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.event.RegistryListener;
import dev.fusebox.spi.BreakerSnapshot;
import dev.fusebox.spi.InMemoryBreakerStore;
import dev.fusebox.testing.Calls;
import dev.fusebox.testing.LogCapture;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Keys come from the outside world: the registry stays within its bound and drops idle breakers. */
class BoundedRegistryTest {

    private static final BreakerConfig TRIP_AT_THREE = BreakerConfig.builder().failureThreshold(3).build();

    private final ManualClock clock = new ManualClock();

    private RegistryBuilder registry(int maxBreakers, Duration idle) {
        return Registries.manual(clock, new TestLoad()).defaultConfig(TRIP_AT_THREE).maxBreakers(maxBreakers)
                .idleTimeout(idle);
    }

    @Test
    void anIdleClosedBreakerIsDroppedAndOneThatMustStayIsNot() throws Exception {
        List<String> removed = new CopyOnWriteArrayList<>();
        try (CircuitBreakerRegistry r = registry(100, Duration.ofMinutes(5)).build()) {
            r.addRegistryListener(new RegistryListener() {
                @Override
                public void onBreakerRemoved(CircuitBreaker breaker) {
                    removed.add(breaker.key() + " " + breaker.state());
                }
            });
            r.call("idle", () -> "ok", Calls.TEST);
            r.call("scored", () -> "ok", Calls.TEST);
            Calls.fail(r.breaker("scored"));
            Calls.failTimes(r.breaker("tripped"), 3);
            r.trip("operator", "maintenance", "alice");
            r.trip("was-reset", "maintenance", "alice");
            clock.advance(Duration.ofSeconds(61)); // past the reset cooldown
            r.reset("was-reset", "done", "alice", false);
            r.flush(); // a breaker with counts not yet written stays until they are

            clock.advance(Duration.ofMinutes(4));
            assertThat(r.find("idle")).as("idle for 4 of 5 minutes").isPresent();
            clock.advance(Duration.ofMinutes(3));
            assertThat(r.find("idle")).as("idle for 7 minutes").isEmpty();
            assertThat(r.find("scored")).as("its failure left the window long ago: it may go too").isEmpty();
            assertThat(r.find("was-reset")).as("reset 7 minutes ago, not called since").isEmpty();
            assertThat(r.find("tripped")).isPresent();
            assertThat(r.find("operator")).isPresent();
            assertThat(removed).allSatisfy(line -> assertThat(line).endsWith(" CLOSED"));
            assertThat(r.capacity().evicted()).isEqualTo(3);
            assertThat(r.capacity().total()).isEqualTo(2);
        }
    }

    @Test
    void aBreakerInUseOrFailingOrJustResetStays() throws Exception {
        try (CircuitBreakerRegistry r = registry(100, Duration.ofMinutes(1)).defaultConfig(BreakerConfig.builder()
                .failureThreshold(3).failureWindow(Duration.ofMinutes(10)).resetCooldown(Duration.ofMinutes(10))
                .build()).build()) {
            Calls.fail(r.breaker("failing")); // a score for 10 minutes
            r.trip("reset", "maintenance", "alice");
            r.reset("reset", "done", "alice", true); // closed, inside its 10-minute cooldown
            for (int minute = 0; minute < 5; minute++) {
                r.call("busy", () -> "ok", Calls.TEST);
                clock.advance(Duration.ofMinutes(1));
            }
            assertThat(r.find("busy")).as("called every minute").isPresent();
            assertThat(r.find("failing")).as("its score is not zero").isPresent();
            assertThat(r.find("reset")).as("inside its cooldown").isPresent();
            r.flush(); // a breaker with counts not yet written stays until they are
            clock.advance(Duration.ofMinutes(8));
            assertThat(r.find("failing")).isEmpty();
            assertThat(r.find("reset")).isEmpty();
        }
    }

    @Test
    void aCallInFlightKeepsItsBreaker() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        try (CircuitBreakerRegistry r = registry(100, Duration.ofMinutes(1)).build()) {
            Thread slow = new Thread(() -> {
                try {
                    r.call("slow", () -> {
                        started.countDown();
                        finish.await();
                        return "late";
                    }, Calls.TEST);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            slow.start();
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            clock.advance(Duration.ofMinutes(10));
            assertThat(r.find("slow")).as("a call is running on it").isPresent();
            finish.countDown();
            slow.join(10_000);
            assertThat(r.find("slow").orElseThrow().status().successes()).isEqualTo(1);
        }
    }

    @Test
    void aHandleKeptAfterItsBreakerLeftCallsTheKeysNextBreaker() throws Exception {
        try (CircuitBreakerRegistry r = registry(100, Duration.ofMinutes(1)).build()) {
            CircuitBreaker kept = r.breaker("kept");
            clock.advance(Duration.ofMinutes(3));
            assertThat(r.find("kept")).as("dropped while idle").isEmpty();

            Calls.failTimes(kept, 3); // through the old handle
            CircuitBreaker next = r.find("kept").orElseThrow();
            assertThat(next).isNotSameAs(kept);
            assertThat(next.isTripped()).as("the failures counted on the registry's breaker").isTrue();
            assertThatThrownBy(() -> Calls.succeed(kept)).isInstanceOf(CircuitOpenException.class);
            kept.reset("fixed", "alice", true);
            assertThat(next.isTripped()).as("an action through the old handle acts on the key's breaker").isFalse();
        }
    }

    @Test
    void newKeysAtTheBoundReplaceTheLeastRecentlyUsedBreakers() throws Exception {
        try (CircuitBreakerRegistry r = registry(100, Duration.ZERO).build()) {
            for (int i = 0; i < 1_000; i++) {
                assertThat(r.call("host-" + i, () -> "ok", Calls.TEST)).isEqualTo("ok");
                assertThat(r.capacity().breakers()).isLessThanOrEqualTo(100);
            }
            RegistryCapacity c = r.capacity();
            assertThat(c.breakers()).isEqualTo(100);
            assertThat(c.evicted()).isEqualTo(900);
            assertThat(c.overflowCalls()).isZero();
            assertThat(r.find("host-999")).isPresent();
            assertThat(r.find("host-0")).isEmpty();
        }
    }

    @Test
    void whenNoBreakerMayGoACallForANewKeyRunsWithoutOneAndIsCounted() throws Exception {
        try (LogCapture log = new LogCapture(); CircuitBreakerRegistry r = registry(2, Duration.ZERO).build()) {
            for (String key : List.of("a", "b")) {
                for (int i = 0; i < 3; i++) { // calls make both breakers, and trip them
                    assertThatThrownBy(() -> r.call(key, () -> {
                        throw new IllegalStateException("upstream 500");
                    }, Calls.TEST)).isInstanceOf(IllegalStateException.class);
                }
            }
            assertThat(r.call("c", () -> "ran", Calls.TEST)).isEqualTo("ran");
            assertThat(r.callAsync("d", () -> java.util.concurrent.CompletableFuture.completedFuture("ran too"),
                    Calls.TEST).get(5, TimeUnit.SECONDS)).isEqualTo("ran too");
            assertThat(r.find("c")).isEmpty();
            RegistryCapacity c = r.capacity();
            assertThat(c.overflowCalls()).isEqualTo(2);
            assertThat(c.overflowing(clock.instant())).isTrue();
            assertThat(c.overflowing(clock.instant().plusSeconds(61))).isFalse();
            assertThat(log.linesContaining("Registry full: 2 breakers made by calls (maxBreakers 2)")).hasSize(1);

            r.trip("e", "incident", "alice");
            assertThat(r.isTripped("e")).as("an operator's trip is made beyond the bound").isTrue();
            assertThat(r.capacity().breakers()).isEqualTo(2);
            assertThat(r.capacity().named()).isEqualTo(1);
        }
    }

    @Test
    void breakersNamedByTheApplicationOrAnOperatorDoNotTakeThePlacesOfCalls() throws Exception {
        try (CircuitBreakerRegistry r = registry(2, Duration.ZERO).build()) {
            r.breaker("named-1");
            r.trip("named-2", "incident", "alice");
            r.call("x", () -> "ok", Calls.TEST);
            r.call("y", () -> "ok", Calls.TEST);
            assertThat(r.capacity()).extracting(RegistryCapacity::breakers, RegistryCapacity::named,
                    RegistryCapacity::overflowCalls).containsExactly(2, 2, 0L);
            r.call("z", () -> "ok", Calls.TEST); // room is made among the breakers calls made
            assertThat(r.find("named-1")).isPresent();
            assertThat(r.capacity().breakers()).isEqualTo(2);
        }
    }

    @Test
    void theBoundHoldsWithManyThreadsCreatingKeys() throws Exception {
        int max = 50;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger highest = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        try (CircuitBreakerRegistry r = registry(max, Duration.ZERO).build()) {
            Thread watcher = new Thread(() -> {
                // The count is taken before a breaker enters the map and given back after it left,
                // so it is never below the breakers in the map (a map iterator is not a snapshot).
                while (!done.get()) {
                    highest.accumulateAndGet(r.capacity().breakers(), Math::max);
                }
            });
            watcher.start();
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        r.call("t" + thread + "-" + i, ran::incrementAndGet, Calls.TEST);
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
            done.set(true);
            watcher.join(10_000);
            assertThat(ran.get()).as("every call ran").isEqualTo(16_000);
            assertThat(highest.get()).as("breakers at any time").isLessThanOrEqualTo(max);
            assertThat(r.breakers()).hasSize(r.capacity().breakers());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void evictionNeverDropsATrippedBreakerUnderConcurrentCallsAndTrips() throws Exception {
        List<String> droppedNotClosed = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        AtomicLong failuresSent = new AtomicLong();
        try (CircuitBreakerRegistry r = registry(40, Duration.ZERO).build()) {
            r.addRegistryListener(new RegistryListener() {
                @Override
                public void onBreakerRemoved(CircuitBreaker breaker) {
                    if (breaker.state() != State.CLOSED || breaker.status().failures() > 0) {
                        droppedNotClosed.add(breaker.key() + " " + breaker.state());
                    }
                }
            });
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                workers.add(pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < 5_000; i++) {
                        String key = "k" + random.nextInt(400);
                        try {
                            r.call(key, () -> {
                                if (random.nextInt(10) == 0) {
                                    failuresSent.incrementAndGet();
                                    throw new IllegalStateException("upstream 500");
                                }
                                return "ok";
                            }, Calls.TEST);
                        } catch (IllegalStateException | CircuitOpenException expected) {
                            // failures and refusals are what this load is made of
                        }
                    }
                    return null;
                }));
            }
            workers.add(pool.submit(() -> {
                for (int i = 0; i < 60; i++) {
                    r.trip("op" + i, "incident " + i, "alice");
                }
                return null;
            }));
            for (Future<?> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
            assertThat(droppedNotClosed).isEmpty();
            for (int i = 0; i < 60; i++) {
                assertThat(r.isTripped("op" + i)).as("operator trip op" + i).isTrue();
            }
            assertThat(failuresSent.get()).isPositive();
            assertThat(r.capacity().evicted()).isPositive();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void atStartTrippedRowsAndRecentOnesBecomeBreakersOldClosedOnesStayHistory() {
        InMemoryBreakerStore store = new InMemoryBreakerStore();
        long now = clock.wallMillis();
        long twoHoursAgo = now - Duration.ofHours(2).toMillis();
        store.commit(BreakerSnapshot.builder("tripped-long-ago", State.OPEN).version(1)
                .cause(dev.fusebox.event.Cause.OPERATOR_TRIP).trip(twoHoursAgo, "alice", "incident")
                .times(twoHoursAgo, twoHoursAgo).build(), 0, List.of());
        store.commit(BreakerSnapshot.builder("closed-recently", State.CLOSED).version(1).tripCount(4)
                .times(now - 60_000, now - 60_000).build(), 0, List.of());
        store.commit(BreakerSnapshot.builder("closed-long-ago", State.CLOSED).version(1)
                .times(twoHoursAgo, twoHoursAgo).build(), 0, List.of());
        try (CircuitBreakerRegistry r = registry(100, Duration.ofHours(1)).store(store).build()) {
            assertThat(r.breakers()).extracting(CircuitBreaker::key)
                    .containsExactly("closed-recently", "tripped-long-ago");
            assertThat(r.status("closed-recently").orElseThrow().tripCount()).isEqualTo(4);
            assertThat(r.isTripped("tripped-long-ago")).isTrue();
        }
        try (CircuitBreakerRegistry all = registry(100, Duration.ZERO).store(store).build()) {
            assertThat(all.breakers()).as("idle breakers kept: every row").hasSize(3);
        }
    }
}
