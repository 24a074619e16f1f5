package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.BreakerListener;
import dev.fusebox.event.Cause;
import dev.fusebox.event.RegistryListener;
import dev.fusebox.spi.AuditAction;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import dev.fusebox.spi.BreakerStore;
import dev.fusebox.spi.CommitResult;
import dev.fusebox.spi.InMemoryBreakerStore;
import dev.fusebox.testing.Calls;
import dev.fusebox.testing.FlakyStore;
import dev.fusebox.testing.LogCapture;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.SharedMemoryStore;
import dev.fusebox.testing.TestLoad;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Regressions found in a review of the path between breakers and the store; each failed before its fix. */
class StorePathRegressionTest {

    private static final BreakerConfig TRIP_AT_ONCE = BreakerConfig.builder().failureThreshold(1)
            .resetCooldown(Duration.ZERO).build();

    private final ManualClock clock = new ManualClock();

    @Test
    void aBreakerCreatedWhileTheStoredStateIsAppliedNeverPassesAnOperatorTrip() throws Exception {
        FlakyStore store = new FlakyStore();
        store.contents().commit(BreakerSnapshot.builder("a", State.CLOSED).version(1).build(), 0, List.of());
        store.contents().commit(BreakerSnapshot.builder("b", State.OPEN).version(1).cause(Cause.OPERATOR_TRIP)
                .trip(clock.wallMillis(), "alice", "incident").build(), 0, List.of());
        assertThat(store.contents().loadAll()).as("precondition: a's row is applied before b's")
                .extracting(BreakerSnapshot::key).containsExactly("a", "b");
        store.down(true);
        List<String> passed = new CopyOnWriteArrayList<>();
        try (CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad()).store(store).build()) {
            store.down(false);
            // Stands in for a request thread that runs while the stored rows are applied.
            registry.addRegistryListener(new RegistryListener() {
                @Override
                public void onBreakerAdded(CircuitBreaker breaker) {
                    if (breaker.key().equals("a")) {
                        try {
                            registry.call("b", () -> "called", Calls.TEST);
                            passed.add("b");
                        } catch (Exception refused) {
                            // what must happen: b's state is not known yet
                        }
                    }
                }
            });
            registry.checkStore();
            assertThat(registry.status("b").orElseThrow().tripped()).isTrue();
            assertThat(passed).as("calls that reached an upstream an operator tripped").isEmpty();
        }
    }

    @Test
    void aBreakerMadeAgainAfterRemoveKeepsItsTripUntilTheStoreSaysOtherwise() throws Exception {
        SharedMemoryStore db = new SharedMemoryStore();
        try (CircuitBreakerRegistry here = Registries.manual(clock, new TestLoad()).store(db.view()).build();
             CircuitBreakerRegistry there = Registries.manual(clock, new TestLoad()).store(db.view()).build()) {
            here.trip("b", "incident", "alice");
            assertThat(here.remove("b")).isTrue();
            assertThat(here.find("b")).as("removed, and not brought back by its own stored trip").isEmpty();
            assertThatThrownBy(() -> Calls.succeed(here.breaker("b")))
                    .as("the breaker made again is as tripped as the store and the other instance say")
                    .isInstanceOf(CircuitOpenException.class);
            assertThat(here.status("b").orElseThrow().trippedBy()).isEqualTo("alice");

            here.remove("b");
            there.reset("b", "fixed", "bob", true);
            assertThat(Calls.succeed(here.breaker("b"))).as("the reset made while it was removed counts").isEqualTo("ok");
        }
    }

    @Test
    void aRemovedBreakersUnwrittenTripIsStillWritten() throws Exception {
        InMemoryBreakerStore store = new InMemoryBreakerStore();
        try (CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad()).defaultConfig(TRIP_AT_ONCE)
                .store(store).build()) {
            Calls.fail(registry.breaker("b"));
            registry.remove("b"); // the writer thread may or may not have written the trip by now
            registry.flush();
            assertThat(store.loadAll()).extracting(BreakerSnapshot::state).containsExactly(State.OPEN);
            assertThat(store.audit("b", 10)).extracting(AuditRecord::action).containsExactly(AuditAction.AUTO_TRIP);
            assertThat(registry.pendingStoreWrites()).isZero();
        }
    }

    @Test
    void oneRecordTheStoreRefusesDoesNotStopOtherBreakersOrOperators() throws Exception {
        InMemoryBreakerStore store = new RefusesNul();
        try (CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad()).defaultConfig(TRIP_AT_ONCE)
                .store(store).build()) {
            Calls.fail(registry.breaker("a"), "upstream said \u0000\u0001"); // PostgreSQL refuses a NUL in text
            Calls.fail(registry.breaker("b"), "500");
            registry.flush();
            assertThat(store.audit("b", 10)).as("b's trip is stored").isNotEmpty();
            registry.reset("a", "all clear", "alice", true);
            assertThat(store.audit("a", 10)).extracting(AuditRecord::action)
                    .containsExactly(AuditAction.RESET, AuditAction.AUTO_TRIP);
            assertThat(store.loadAll()).filteredOn(s -> s.key().equals("a")).singleElement()
                    .satisfies(s -> assertThat(s.lastError()).isEqualTo("upstream said \uFFFD\uFFFD"));
        }
    }

    @Test
    void listenersThatTripOtherBreakersDoNotDeadlockConcurrentOperatorTrips() throws Exception {
        CyclicBarrier bothInside = new CyclicBarrier(2);
        AtomicInteger commits = new AtomicInteger();
        InMemoryBreakerStore store = new InMemoryBreakerStore() {
            @Override
            public CommitResult commit(BreakerSnapshot s, long expected, List<AuditRecord> audit) {
                if (commits.incrementAndGet() <= 2) {
                    try {
                        bothInside.await(5, TimeUnit.SECONDS); // both operators hold their breaker's store lock
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return super.commit(s, expected, audit);
            }
        };
        ExecutorService two = Executors.newFixedThreadPool(2);
        try (CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad()).store(store).build()) {
            registry.addListener(new BreakerListener() { // trips the whole group when one trips
                @Override
                public void onTrip(BreakerEvent.Tripped e) {
                    if (!e.change().user().equals("group")) {
                        registry.trip(e.key().equals("a") ? "b" : "a", "group " + e.key() + " tripped", "group");
                    }
                }
            });
            registry.breaker("a");
            registry.breaker("b");
            Future<?> ta = two.submit(() -> registry.trip("a", "incident", "alice"));
            Future<?> tb = two.submit(() -> registry.trip("b", "incident", "bob"));
            try {
                ta.get(10, TimeUnit.SECONDS);
                tb.get(10, TimeUnit.SECONDS);
            } catch (TimeoutException deadlocked) {
                long[] ids = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
                throw new AssertionError("the operator trips deadlocked; " + (ids == null ? 0 : ids.length)
                        + " deadlocked threads", deadlocked);
            }
            assertThat(registry.isTripped("a")).isTrue();
            assertThat(registry.isTripped("b")).isTrue();
        } finally {
            two.shutdownNow();
        }
    }

    @Test
    void aHungTrialGivesItsSlotUpAfterThreeStalledPeriods() throws Exception {
        BreakerConfig config = BreakerConfig.builder().recoveryPolicy(RecoveryPolicy.AUTOMATIC).failureThreshold(1)
                .successThreshold(1).openWait(Duration.ofSeconds(10)).maxOpenWait(Duration.ofSeconds(10)).build();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch hang = new CountDownLatch(1);
        try (LogCapture log = new LogCapture();
             CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad(), config)) {
            CircuitBreaker b = registry.breaker("slow");
            Calls.fail(b);
            clock.advance(Duration.ofSeconds(10));
            Thread trial = new Thread(() -> {
                try {
                    b.call(() -> {
                        started.countDown();
                        hang.await(); // a socket without a read timeout
                        return "late";
                    }, Calls.TEST);
                } catch (Exception ended) {
                    // ends when the test lets it
                }
            });
            trial.setDaemon(true);
            trial.start();
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            int admitted = 0;
            int rounds = 0;
            while (admitted == 0 && rounds++ < 60) {
                clock.advance(Duration.ofSeconds(11));
                try {
                    Calls.succeed(b);
                    admitted++;
                } catch (CircuitOpenException refused) {
                    // open, or the only trial slot is held
                }
            }
            hang.countDown();
            assertThat(admitted).as("a trial let through while an earlier one hangs").isEqualTo(1);
            assertThat(b.state()).isEqualTo(State.CLOSED);
            assertThat(rounds).as("not before three periods timed out with the slot held").isGreaterThan(3);
            assertThat(log.linesContaining("their slots are given up")).hasSize(1);
        }
    }

    @Test
    void theStoredCauseAlwaysMatchesTheStoredState() throws Exception {
        InMemoryBreakerStore store = new InMemoryBreakerStore();
        ExecutorService two = Executors.newFixedThreadPool(2);
        List<String> wrong = new ArrayList<>();
        try (CircuitBreakerRegistry r = Registries.manual(clock, new TestLoad()).defaultConfig(TRIP_AT_ONCE)
                .store(store).build()) {
            CircuitBreaker b = r.breaker("k");
            for (int i = 0; i < 3_000 && wrong.size() < 8; i++) {
                CyclicBarrier together = new CyclicBarrier(2);
                Future<?> trip = two.submit(() -> {
                    together.await();
                    return Calls.fail(b);
                });
                Future<?> reset = two.submit(() -> {
                    together.await();
                    return r.reset("k", "all clear", "bob", true);
                });
                trip.get(5, TimeUnit.SECONDS);
                reset.get(5, TimeUnit.SECONDS);
                r.flush();
                BreakerSnapshot row = store.loadAll().get(0);
                boolean closedByTrip = row.state() == State.CLOSED && !row.cause().isReset();
                boolean openByReset = row.state() != State.CLOSED && row.cause().isReset();
                if (closedByTrip || openByReset || row.state() != b.state()) {
                    wrong.add("round " + i + ": stored " + row.state() + " because " + row.cause() + " v"
                            + row.version() + ", here " + b.state());
                }
                r.reset("k", "start over", "bob", true);
                r.flush();
            }
        } finally {
            two.shutdownNow();
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void aWritersCommitThatLandedUnconfirmedIsStoredOnce() throws Exception {
        CutsAnswer store = new CutsAnswer();
        try (LogCapture log = new LogCapture();
             CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad()).defaultConfig(TRIP_AT_ONCE)
                     .store(store).build()) {
            store.cutNext.set(true);
            Calls.fail(registry.breaker("k"));
            // The first write commits but hears "connection reset"; the next finds its own change stored.
            for (int i = 0; i < 3 && registry.pendingStoreWrites() > 0; i++) {
                registry.flush();
            }
            assertThat(store.cutNext).as("the answer was cut").isFalse();
            assertThat(registry.pendingStoreWrites()).isZero();
            assertThat(store.audit("k", 10)).extracting(AuditRecord::action).containsExactly(AuditAction.AUTO_TRIP);
            assertThat(store.loadAll()).singleElement().satisfies(s -> assertThat(s.version()).isEqualTo(1));
            assertThat(registry.status("k").orElseThrow().version()).isEqualTo(1);
            assertThat(log.linesContaining("whose commit was not confirmed had been stored")).hasSize(1);
        }
    }

    @Test
    void anOperatorsCommitThatLandedUnconfirmedIsReportedSoAndTakesEffectOnce() throws Exception {
        CutsAnswer store = new CutsAnswer();
        try (CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad()).store(store).build()) {
            registry.breaker("k");
            store.cutNext.set(true);
            assertThatThrownBy(() -> registry.trip("k", "incident", "alice"))
                    .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("did not confirm");
            assertThat(registry.isTripped("k")).as("not in effect until the store says so").isFalse();
            List<String> seen = new CopyOnWriteArrayList<>();
            registry.addListener(new BreakerListener() {
                @Override
                public void onStateChange(BreakerEvent.StateChanged e) {
                    seen.add(e.to() + " " + e.change().cause());
                }
            });
            // The next write meets the trip that landed: it takes effect, and the reset goes over it.
            ActionResult reset = registry.reset("k", "never mind", "alice", true);
            assertThat(seen).containsExactly("OPEN OPERATOR_TRIP", "CLOSED FORCED_RESET");
            assertThat(reset.status().version()).isEqualTo(2);
            assertThat(store.audit("k", 10)).extracting(AuditRecord::action)
                    .containsExactly(AuditAction.FORCED_RESET, AuditAction.TRIP);
        }
    }

    @Test
    void aCommitOverARowThatWasDeletedStartsAgainFromVersionZero() {
        InMemoryBreakerStore store = new InMemoryBreakerStore();
        CommitResult result = store.commit(BreakerSnapshot.builder("gone", State.OPEN).version(5).build(), 4,
                List.of());
        assertThat(result.committed()).isFalse();
        assertThat(result.current().version()).isZero();
        assertThat(result.current().state()).isEqualTo(State.CLOSED);
    }

    /** Refuses text with a NUL character, as PostgreSQL does ("invalid byte sequence for encoding UTF8: 0x00"). */
    static final class RefusesNul extends InMemoryBreakerStore {
        @Override
        public CommitResult commit(BreakerSnapshot s, long expected, List<AuditRecord> audit) {
            check(s.lastError());
            audit.forEach(r -> check(r.reason()));
            return super.commit(s, expected, audit);
        }

        @Override
        public void saveStats(BreakerSnapshot s) {
            check(s.lastError());
            super.saveStats(s);
        }

        @Override
        public List<AuditRecord> append(List<AuditRecord> records) {
            records.forEach(r -> check(r.reason()));
            return super.append(records);
        }

        private static void check(String text) {
            if (text != null && text.indexOf('\u0000') >= 0) {
                throw new IllegalStateException("invalid byte sequence for encoding \"UTF8\": 0x00");
            }
        }
    }

    /** Commits, then, once, throws as if the connection broke before the answer came. */
    static final class CutsAnswer extends InMemoryBreakerStore implements BreakerStore {
        final AtomicBoolean cutNext = new AtomicBoolean();

        @Override
        public CommitResult commit(BreakerSnapshot s, long expected, List<AuditRecord> audit) {
            CommitResult result = super.commit(s, expected, audit);
            if (result.committed() && cutNext.compareAndSet(true, false)) {
                throw new IllegalStateException("An I/O error occurred while sending to the backend: connection reset");
            }
            return result;
        }
    }
}
