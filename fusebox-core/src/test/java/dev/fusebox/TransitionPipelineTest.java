package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.BreakerListener;
import dev.fusebox.event.Cause;
import dev.fusebox.spi.AuditAction;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.InMemoryBreakerStore;
import dev.fusebox.testing.Calls;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.SharedMemoryStore;
import dev.fusebox.testing.TestLoad;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Every change goes through one step, in one order: counted, logged, audited, persisted, then
 * published. A listener therefore sees a change already counted and on its way to the store (or,
 * for an operator's change, already stored), with its cause, user and reason.
 */
class TransitionPipelineTest {

    private final ManualClock clock = new ManualClock();

    /** What a listener could see of the registry when an event reached it. */
    private record Seen(String event, Cause cause, String user, boolean remote, long tripCount, long pendingWrites,
                        List<AuditAction> stored) {
    }

    private static BreakerListener recorder(CircuitBreakerRegistry[] registry, InMemoryBreakerStore store,
                                            List<Seen> seen) {
        return recorder(registry, store, seen, false);
    }

    /** @param flushFirst write what is pending before looking: what was queued before the event is then stored */
    private static BreakerListener recorder(CircuitBreakerRegistry[] registry, InMemoryBreakerStore store,
                                            List<Seen> seen, boolean flushFirst) {
        return new BreakerListener() {
            @Override
            public void onTrip(BreakerEvent.Tripped e) {
                record("Tripped", e.key(), e.change());
            }

            @Override
            public void onReset(BreakerEvent.Reset e) {
                record("Reset", e.key(), e.change());
            }

            @Override
            public void onStateChange(BreakerEvent.StateChanged e) {
                record("StateChanged " + e.from() + "->" + e.to(), e.key(), e.change());
            }

            private void record(String what, String key, dev.fusebox.event.Change c) {
                CircuitBreakerRegistry r = registry[0];
                if (flushFirst) {
                    r.flush();
                }
                seen.add(new Seen(what, c.cause(), c.user(), c.remote(), r.status(key).orElseThrow().tripCount(),
                        r.pendingStoreWrites(),
                        store == null ? List.of() : store.audit(key, 10).stream().map(AuditRecord::action).toList()));
            }
        };
    }

    @Test
    void anAutomaticTripIsCountedAndQueuedForTheStoreBeforeItIsPublished() {
        InMemoryBreakerStore store = new InMemoryBreakerStore();
        List<Seen> seen = new CopyOnWriteArrayList<>();
        CircuitBreakerRegistry[] holder = new CircuitBreakerRegistry[1];
        try (CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad()).store(store)
                .listener(recorder(holder, store, seen, true)).build()) {
            holder[0] = registry;
            Calls.failTimes(registry.breaker("draftkings"), 10);

            assertThat(seen).extracting(Seen::event).containsExactly("StateChanged CLOSED->OPEN", "Tripped");
            assertThat(seen).allSatisfy(s -> {
                assertThat(s.cause()).isEqualTo(Cause.FAILURES);
                assertThat(s.user()).isEqualTo("fusebox");
                assertThat(s.tripCount()).as("counted before it is published").isEqualTo(1);
                assertThat(s.stored()).as("queued before it was published, so stored by a flush made then")
                        .containsExactly(AuditAction.AUTO_TRIP);
            });
            registry.flush();
            assertThat(store.audit("draftkings", 10)).extracting(AuditRecord::action)
                    .containsExactly(AuditAction.AUTO_TRIP);
        }
    }

    @Test
    void anOperatorsChangeIsStoredBeforeItTakesEffectAndIsPublishedWithItsUserAndReason() {
        InMemoryBreakerStore store = new InMemoryBreakerStore();
        List<Seen> seen = new CopyOnWriteArrayList<>();
        CircuitBreakerRegistry[] holder = new CircuitBreakerRegistry[1];
        try (CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad()).store(store)
                .listener(recorder(holder, store, seen)).build()) {
            holder[0] = registry;
            registry.trip("draftkings", "maintenance", "alice");
            clock.advance(Duration.ofSeconds(10));
            registry.reset("draftkings", "done early", "bob", true);

            assertThat(seen).extracting(Seen::event, Seen::cause, Seen::user).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("StateChanged CLOSED->OPEN", Cause.OPERATOR_TRIP, "alice"),
                    org.assertj.core.groups.Tuple.tuple("Tripped", Cause.OPERATOR_TRIP, "alice"),
                    org.assertj.core.groups.Tuple.tuple("StateChanged OPEN->CLOSED", Cause.FORCED_RESET, "bob"),
                    org.assertj.core.groups.Tuple.tuple("Reset", Cause.FORCED_RESET, "bob"));
            assertThat(seen.get(0).stored()).as("stored when published").containsExactly(AuditAction.TRIP);
            assertThat(seen.get(3).stored()).containsExactly(AuditAction.FORCED_RESET, AuditAction.TRIP);
            assertThat(seen).allSatisfy(s -> assertThat(s.pendingWrites()).as("nothing left to write").isZero());
        }
    }

    @Test
    void aChangeAdoptedFromAnotherInstanceIsPublishedAsRemoteAndNotAuditedAgain() {
        SharedMemoryStore db = new SharedMemoryStore();
        List<Seen> seenByB = new CopyOnWriteArrayList<>();
        CircuitBreakerRegistry[] holder = new CircuitBreakerRegistry[1];
        try (CircuitBreakerRegistry a = Registries.manual(clock, new TestLoad()).store(db.view()).build();
             CircuitBreakerRegistry b = Registries.manual(clock, new TestLoad()).store(db.view())
                     .listener(recorder(holder, null, seenByB)).build()) {
            holder[0] = b;
            a.trip("draftkings", "maintenance", "alice");
            clock.advance(Duration.ofSeconds(61));
            a.reset("draftkings", "cleared", "carol", false);

            assertThat(seenByB).extracting(Seen::event, Seen::cause, Seen::user, Seen::remote).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("StateChanged CLOSED->OPEN", Cause.OPERATOR_TRIP, "alice", true),
                    org.assertj.core.groups.Tuple.tuple("Tripped", Cause.OPERATOR_TRIP, "alice", true),
                    org.assertj.core.groups.Tuple.tuple("StateChanged OPEN->CLOSED", Cause.OPERATOR_RESET, "carol", true),
                    org.assertj.core.groups.Tuple.tuple("Reset", Cause.OPERATOR_RESET, "carol", true));
            assertThat(b.audit("draftkings", 10)).as("audited once, by the instance that acted").hasSize(2);
            assertThat(b.status("draftkings").orElseThrow().lastResetBy()).isEqualTo("carol");
        }
    }

    @Test
    void aDeniedResetIsStoredAndPublishedButChangesNothing() {
        InMemoryBreakerStore store = new InMemoryBreakerStore();
        List<BreakerEvent> events = new ArrayList<>();
        try (CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad()).store(store)
                .listener(new BreakerListener() {
                    @Override
                    public void onResetDenied(BreakerEvent.ResetDenied e) {
                        events.add(e);
                    }

                    @Override
                    public void onStateChange(BreakerEvent.StateChanged e) {
                        events.add(e);
                    }
                }).build()) {
            registry.trip("draftkings", "maintenance", "alice");
            long version = registry.status("draftkings").orElseThrow().version();

            assertThatThrownBy(() -> registry.reset("draftkings", "too soon", "bob", false))
                    .isInstanceOf(ResetDeniedException.class);

            assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsExactly("StateChanged", "ResetDenied");
            assertThat(registry.status("draftkings").orElseThrow().version()).isEqualTo(version);
            assertThat(store.audit("draftkings", 1)).extracting(AuditRecord::action)
                    .containsExactly(AuditAction.RESET_DENIED);
        }
    }
}
