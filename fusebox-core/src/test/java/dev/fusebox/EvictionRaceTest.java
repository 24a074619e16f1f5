package dev.fusebox;

import static dev.fusebox.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.event.RegistryListener;
import dev.fusebox.spi.AuditAction;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import dev.fusebox.spi.CommitResult;
import dev.fusebox.spi.InMemoryBreakerStore;
import dev.fusebox.testing.Calls;
import dev.fusebox.testing.FlakyStore;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Races between eviction, remove(), calls, operators and unconfirmed commits; each test failed before its fix. */
class EvictionRaceTest {

    private static final BreakerConfig TRIP_AT_ONE = BreakerConfig.builder().failureThreshold(1).build();
    private static final BreakerConfig TRIP_AT_THREE = BreakerConfig.builder().failureThreshold(3).build();

    private final ManualClock clock = new ManualClock();

    private RegistryBuilder registry(int maxBreakers, Duration idle, BreakerConfig config) {
        return Registries.manual(clock, new TestLoad()).defaultConfig(config).maxBreakers(maxBreakers)
                .idleTimeout(idle);
    }

    /** An upstream error whose message, read while the breaker records the failure, takes its time. */
    private static final class SlowToDescribe extends IllegalStateException {
        private final CountDownLatch recording;
        private final CountDownLatch proceed;

        SlowToDescribe(CountDownLatch recording, CountDownLatch proceed) {
            this.recording = recording;
            this.proceed = proceed;
        }

        @Override
        public String getMessage() {
            boolean fromStats = StackWalker.getInstance().walk(frames -> frames.anyMatch(
                    f -> f.getClassName().equals("dev.fusebox.internal.BreakerStats")));
            if (fromStats && recording.getCount() > 0) {
                recording.countDown();
                try {
                    proceed.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return "upstream 500";
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 1. A failing call that has been counted as finished, but whose score is not added yet, lets
    //    the breaker be evicted; the failure (and the trip it causes) lands on the retired breaker.

    @Test
    void aFailureEndingWhileItsBreakerIsEvictedStillCountsForTheKey() throws Exception {
        CountDownLatch recording = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        try (CircuitBreakerRegistry r = registry(1, Duration.ZERO, TRIP_AT_ONE).build()) {
            Thread caller = new Thread(() -> {
                try {
                    r.call("k", () -> {
                        throw new SlowToDescribe(recording, proceed);
                    }, Calls.TEST);
                } catch (Exception expected) {
                    // the upstream's failure
                }
            });
            caller.start();
            assertThat(recording.await(10, TimeUnit.SECONDS)).isTrue();
            try {
                r.call("other", () -> "ok", Calls.TEST); // at the bound: room is made
            } finally {
                proceed.countDown();
                caller.join(10_000);
            }
            // "k" had one failure at threshold 1: its breaker must be tripped, wherever it lives.
            assertThatThrownBy(() -> r.call("k", () -> "reached the failing upstream", Calls.TEST))
                    .as("the failure tripped a breaker that had left the registry; the key's next one is closed")
                    .isInstanceOf(CircuitOpenException.class);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 2. A kept handle of a breaker that left while tripped is never redirected: admit() checks
    //    `retired` only on the closed path.

    @Test
    void aKeptHandleOfARemovedTrippedBreakerFollowsTheKeysNextBreaker() throws Exception {
        try (CircuitBreakerRegistry r = registry(100, Duration.ZERO, TRIP_AT_THREE).build()) {
            CircuitBreaker kept = r.breaker("k");
            kept.trip("incident", "alice");
            assertThat(r.remove("k")).isTrue();
            r.reset("k", "fixed", "alice", true); // acts on the key's next breaker (started tripped)
            assertThat(r.isTripped("k")).isFalse();

            assertThat(Calls.succeed(kept))
                    .as("the key's breaker is closed; the kept handle must call through it")
                    .isEqualTo("ok");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 3. At the bound, a new breaker that would start refusing calls is not made, and the call runs
    //    unprotected: a kept trip of a removed breaker, or a store whose state is unknown.

    @Test
    void atTheBoundACallForAKeyWhoseTripIsKeptIsRefusedNotRunUnprotected() throws Exception {
        try (CircuitBreakerRegistry r = registry(1, Duration.ZERO, TRIP_AT_THREE).build()) {
            r.trip("k", "incident 42", "alice");
            r.remove("k"); // the trip is kept: the key's next breaker starts tripped
            assertThatThrownBy(() -> r.call("busy", () -> {
                throw new IllegalStateException("500");
            }, Calls.TEST)).isInstanceOf(IllegalStateException.class); // a score: it may not go

            assertThatThrownBy(() -> r.call("k", () -> "reached an upstream an operator tripped", Calls.TEST))
                    .isInstanceOf(CircuitOpenException.class);
        }
    }

    @Test
    void atTheBoundWhileTheStoredStateIsUnknownNewKeysAreRefusedNotRunUnprotected() throws Exception {
        FlakyStore store = new FlakyStore().down(true);
        try (CircuitBreakerRegistry r = registry(2, Duration.ZERO, TRIP_AT_THREE).store(store).build()) {
            for (String key : List.of("a", "b")) {
                assertThatThrownBy(() -> r.call(key, () -> "ran", Calls.TEST))
                        .as("state unknown: refused").isInstanceOf(CircuitOpenException.class);
            }
            assertThatThrownBy(() -> r.call("c", () -> "ran although the state is unknown", Calls.TEST))
                    .isInstanceOf(CircuitOpenException.class);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 4. remove() takes the breaker out of the map before it keeps its trip; a breaker made for the
    //    key in between starts closed.

    /** Blocks the next commit until released, as a slow database would. */
    private static final class SlowStore extends InMemoryBreakerStore {
        volatile CountDownLatch entered;
        volatile CountDownLatch release;

        void blockNextCommit() {
            entered = new CountDownLatch(1);
            release = new CountDownLatch(1);
        }

        @Override
        public CommitResult commit(dev.fusebox.spi.BreakerSnapshot snapshot, long expectedVersion,
                                   List<AuditRecord> records) {
            CountDownLatch in = entered;
            if (in != null && in.getCount() > 0) {
                in.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.commit(snapshot, expectedVersion, records);
        }
    }

    /**
     * Runs remove("k") of a tripped breaker while an operator's action holds its store lock, calls
     * "k" meanwhile, and once more after the removal: returns what that last call met.
     */
    private Object removeWhileCalling(CircuitBreakerRegistry r, SlowStore store) throws Exception {
        r.trip("k", "incident 42", "alice");
        store.blockNextCommit();
        Thread operator = new Thread(() -> r.trip("k", "still broken", "bob")); // holds k's store lock
        operator.start();
        assertThat(store.entered.await(10, TimeUnit.SECONDS)).isTrue();
        Thread remover = new Thread(() -> r.remove("k"));
        remover.start();
        try {
            await(() -> remover.getState() == Thread.State.WAITING, "remove() waits for the operator's action");
            assertThatThrownBy(() -> r.call("k", () -> "reached an upstream an operator tripped", Calls.TEST))
                    .as("while it is being removed").isInstanceOf(CircuitOpenException.class);
        } finally {
            store.release.countDown();
            operator.join(10_000);
            remover.join(10_000);
        }
        assertThat(remover.isAlive()).isFalse();
        try {
            return r.call("k", () -> "reached an upstream an operator tripped", Calls.TEST);
        } catch (Exception e) {
            return e;
        }
    }

    @Test
    void aCallDuringRemoveOfATrippedBreakerIsRefused() throws Exception {
        SlowStore store = new SlowStore();
        try (CircuitBreakerRegistry r = registry(100, Duration.ZERO, TRIP_AT_THREE).store(store).build()) {
            Object outcome = removeWhileCalling(r, store);
            assertThat(outcome).as("the key's next breaker must start tripped").isInstanceOf(CircuitOpenException.class);
        }
    }

    @Test
    void aListenerHearsOfTheRemovalBeforeTheKeysNextBreaker() throws Exception {
        SlowStore store = new SlowStore();
        List<String> events = new CopyOnWriteArrayList<>();
        try (CircuitBreakerRegistry r = registry(100, Duration.ZERO, TRIP_AT_THREE).store(store).build()) {
            r.addRegistryListener(new RegistryListener() {
                @Override
                public void onBreakerAdded(CircuitBreaker breaker) {
                    events.add("added " + breaker.key());
                }

                @Override
                public void onBreakerRemoved(CircuitBreaker breaker) {
                    events.add("removed " + breaker.key());
                }
            });
            removeWhileCalling(r, store);
            assertThat(r.find("k")).isPresent();
            // FuseboxMetrics and EventHub key their state by key: a late "removed" drops the live breaker's meters.
            assertThat(events).as("k is in the registry: the last word about it must be 'added'")
                    .last().isEqualTo("added k");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 5. drop() gives the place back even when remove() took the breaker out first: counted twice.

    @Test
    void removeDuringAnEvictionDoesNotGiveThePlaceBackTwice() throws Exception {
        CountDownLatch inDrop = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        AtomicReference<Thread> evictor = new AtomicReference<>();
        AtomicReference<String> victim = new AtomicReference<>();
        try (CircuitBreakerRegistry r = registry(2, Duration.ZERO, TRIP_AT_THREE).build()) {
            r.addRegistryListener(new RegistryListener() {
                @Override
                public void onBreakerRemoved(CircuitBreaker breaker) {
                    if (Thread.currentThread() == evictor.get() && inDrop.getCount() > 0) {
                        victim.set(breaker.key());
                        inDrop.countDown();
                        try {
                            proceed.await(10, TimeUnit.SECONDS); // a meter registry taking its time
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            });
            r.call("a", () -> "ok", Calls.TEST);
            r.call("b", () -> "ok", Calls.TEST);
            Thread t = new Thread(() -> {
                try {
                    r.call("c", () -> "ok", Calls.TEST);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            evictor.set(t);
            t.start();
            assertThat(inDrop.await(10, TimeUnit.SECONDS)).isTrue();
            try {
                assertThat(r.remove(victim.get())).as("still in the map while its listeners run").isTrue();
            } finally {
                proceed.countDown();
                t.join(10_000);
            }
            r.call("d", () -> "ok", Calls.TEST);
            r.call("e", () -> "ok", Calls.TEST);
            assertThat(r.capacity().breakers()).as("counted").isEqualTo(r.breakers().size());
            assertThat(r.breakers()).as("breakers calls made, maxBreakers 2").hasSizeLessThanOrEqualTo(2);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 6. Named (and removed) breakers share the hand and use up its 64 looks: calls for new keys run
    //    without a breaker although idle breakers calls made may go.

    @Test
    void namedBreakersDoNotKeepCallsFromMakingRoom() throws Exception {
        try (CircuitBreakerRegistry r = registry(10, Duration.ZERO, TRIP_AT_THREE).build()) {
            for (int i = 0; i < 1_000; i++) {
                r.breaker("tenant-" + i); // known upstreams, named by the application
            }
            for (int i = 0; i < 10; i++) {
                r.call("host-" + i, () -> "ok", Calls.TEST);
            }
            for (int i = 0; i < 20; i++) {
                r.call("new-host-" + i, () -> "ok", Calls.TEST);
            }
            assertThat(r.capacity().overflowCalls())
                    .as("ten idle, closed breakers made by calls could go each time").isZero();
        }
    }

    @Test
    void removedBreakersDoNotStayInTheHandForever() throws Exception {
        try (CircuitBreakerRegistry r = registry(100, Duration.ZERO, TRIP_AT_THREE).build()) {
            for (int i = 0; i < 10_000; i++) {
                r.breaker("tenant-" + i);
                r.remove("tenant-" + i);
            }
            assertThat(r.breakers()).isEmpty();
            assertThat(r.table().capacity().held()).as("breakers the bound still holds on to").isLessThan(1_000);
        }
    }


    // ---------------------------------------------------------------------------------------------
    // 7. A kept handle of a named breaker that went idle gets a breaker within the bound, or none.

    @Test
    void aKeptHandleOfANamedBreakerKeepsABreakerAtTheBound() throws Exception {
        try (CircuitBreakerRegistry r = registry(1, Duration.ofMinutes(1), TRIP_AT_THREE).build()) {
            CircuitBreaker payments = r.breaker("payments"); // named: beyond the bound
            for (int i = 0; i < 3; i++) { // a call fills the bound with a breaker that may not go
                assertThatThrownBy(() -> r.call("x", () -> {
                    throw new IllegalStateException("500");
                }, Calls.TEST)).isInstanceOf(IllegalStateException.class);
            }
            clock.advance(Duration.ofMinutes(2));
            assertThat(r.find("payments")).as("idle: dropped").isEmpty();

            Calls.failTimes(payments, 3);
            assertThat(r.isTripped("payments"))
                    .as("three failures through the application's handle, threshold 3").isTrue();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // 8. Unconfirmed operator commits: the retry "alone" after a failure with earlier records.

    /**
     * The first commit carrying an operator's TRIP with earlier records lands and then throws (the
     * connection broke after COMMIT). {@code thenDown} keeps the store down afterwards.
     */
    private static final class CutAfterCommit extends InMemoryBreakerStore {
        volatile boolean down;
        volatile boolean armed;
        volatile boolean thenDown;
        final AtomicInteger writerAttempts = new AtomicInteger();

        @Override
        public CommitResult commit(dev.fusebox.spi.BreakerSnapshot snapshot, long expectedVersion,
                                   List<AuditRecord> records) {
            if (Thread.currentThread().getName().startsWith("fusebox-store")) {
                writerAttempts.incrementAndGet();
            }
            if (down) {
                throw new IllegalStateException("connection refused");
            }
            boolean operatorTrip = records.stream().anyMatch(a -> a.action() == AuditAction.TRIP);
            if (armed && operatorTrip && records.size() > 1) {
                armed = false;
                super.commit(snapshot, expectedVersion, records);
                down = thenDown;
                throw new IllegalStateException("connection reset after COMMIT");
            }
            return super.commit(snapshot, expectedVersion, records);
        }

        @Override
        public List<AuditRecord> append(List<AuditRecord> records) {
            if (down) {
                throw new IllegalStateException("connection refused");
            }
            return super.append(records);
        }

        @Override
        public void saveStats(dev.fusebox.spi.BreakerSnapshot snapshot) {
            if (down) {
                throw new IllegalStateException("connection refused");
            }
            super.saveStats(snapshot);
        }
    }

    /** "k" tripped on its own while the store was down: its AUTO_TRIP record waits. */
    private CircuitBreakerRegistry trippedWithPendingRecord(CutAfterCommit store) throws Exception {
        CircuitBreakerRegistry r = registry(100, Duration.ZERO, TRIP_AT_ONE).store(store).build();
        store.down = true;
        Calls.fail(r.breaker("k"));
        await(() -> store.writerAttempts.get() >= 1, "the writer tried and failed");
        assertThat(r.pendingStoreWrites()).isPositive();
        store.down = false;
        store.armed = true;
        return r;
    }

    @Test
    void anOperatorTripWhoseFirstCommitLandedIsNotStoredTwice() throws Exception {
        CutAfterCommit store = new CutAfterCommit();
        try (CircuitBreakerRegistry r = trippedWithPendingRecord(store)) {
            r.trip("k", "incident 42", "alice"); // one request
            r.flush();
            assertThat(r.audit("k", 10)).extracting(AuditRecord::action)
                    .as("one operator trip, one record").containsOnlyOnce(AuditAction.TRIP);
            assertThat(r.status("k").orElseThrow().version()).as("one version").isEqualTo(1);
        }
    }

    @Test
    void anOperatorTripWhoseCommitWasNotConfirmedDoesNotDuplicateTheEarlierRecords() throws Exception {
        CutAfterCommit store = new CutAfterCommit();
        store.thenDown = true; // the retry with the operator's record alone fails too
        try (CircuitBreakerRegistry r = trippedWithPendingRecord(store)) {
            assertThatThrownBy(() -> r.trip("k", "incident 42", "alice"))
                    .isInstanceOf(StoreUnavailableException.class);
            store.down = false;
            r.flush();
            r.flush();
            assertThat(r.isTripped("k")).isTrue();
            assertThat(r.audit("k", 10)).extracting(AuditRecord::action)
                    .as("the automatic trip landed with the operator's; it is not appended again")
                    .containsOnlyOnce(AuditAction.AUTO_TRIP);
        }
    }

    @Test
    void aListenerThatUsesTheKeyBeingRemovedIsToldSoInsteadOfWaitingForItself() throws Exception {
        try (dev.fusebox.testing.LogCapture log = new dev.fusebox.testing.LogCapture();
             CircuitBreakerRegistry r = registry(10, Duration.ofMinutes(1), TRIP_AT_THREE).build()) {
            r.addRegistryListener(new RegistryListener() {
                @Override
                public void onBreakerRemoved(CircuitBreaker breaker) {
                    r.breaker(breaker.key()); // would wait for its own removal to end
                }
            });
            r.call("idle", () -> "ok", Calls.TEST);
            Thread sweeper = new Thread(() -> clock.advance(Duration.ofMinutes(3)));
            sweeper.start();
            sweeper.join(10_000);
            assertThat(sweeper.isAlive()).as("the idle sweep finished").isFalse();
            assertThat(log.linesContaining("Registry listener failed")).hasSize(1);
            assertThat(r.find("idle")).isEmpty();
        }
    }

    /**
     * A trip from another instance, delivered while {@code remove} held the breaker's store lock
     * and before it marked the breaker retired: the deliverer left it in the breaker's inbox for
     * the lock's holder. It must reach the key's next breaker, not leave with this one.
     */
    @Test
    void aTripDeliveredWhileTheBreakerIsBeingRemovedIsNotLost() throws Exception {
        try (CircuitBreakerRegistry r = registry(10, Duration.ofMinutes(10), BreakerConfig.defaults()).build()) {
            CircuitBreaker leaving = r.breaker("draftkings");
            BreakerSnapshot trip = BreakerSnapshot.builder("draftkings", State.OPEN).version(1)
                    .cause(dev.fusebox.event.Cause.OPERATOR_TRIP).trip(clock.wallMillis(), "bob", "maintenance")
                    .build();
            java.lang.reflect.Field inbox = leaving.core().getClass().getDeclaredField("inbox");
            inbox.setAccessible(true);
            @SuppressWarnings("unchecked")
            AtomicReference<BreakerSnapshot> waiting = (AtomicReference<BreakerSnapshot>) inbox.get(leaving.core());
            waiting.set(trip); // as the change feed leaves it when the lock is taken

            assertThat(r.remove("draftkings")).isTrue();

            assertThat(r.isTripped("draftkings")).as("the trip made elsewhere holds here").isTrue();
            assertThat(r.status("draftkings").orElseThrow().trippedBy()).isEqualTo("bob");
        }
    }
}
