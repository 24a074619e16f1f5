package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.Cause;
import dev.fusebox.event.BreakerListener;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.testing.Calls;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.SharedMemoryStore;
import dev.fusebox.testing.TestLoad;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two instances over one store: trips and resets are shared, counting stays local, the newest change wins. */
class SharedStateTest {

    private final ManualClock clock = new ManualClock();
    private final SharedMemoryStore db = new SharedMemoryStore();
    private final List<BreakerEvent.Tripped> tripsSeenByB = new CopyOnWriteArrayList<>();
    private CircuitBreakerRegistry a;
    private CircuitBreakerRegistry b;

    private void start(boolean shareAutomaticTrips) {
        a = Registries.manual(clock, new TestLoad()).store(db.view()).shareAutomaticTrips(shareAutomaticTrips).build();
        b = Registries.manual(clock, new TestLoad()).store(db.view()).shareAutomaticTrips(shareAutomaticTrips)
                .listener(new BreakerListener() {
                    @Override
                    public void onTrip(BreakerEvent.Tripped event) {
                        tripsSeenByB.add(event);
                    }
                }).build();
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    @Test
    void anOperatorTripOnOneInstanceOpensTheBreakerOnTheOther() {
        start(true);
        a.trip("draftkings", "maintenance", "alice");

        BreakerStatus seen = b.status("draftkings").orElseThrow();
        assertThat(seen.tripped()).isTrue();
        assertThat(seen.trippedBy()).isEqualTo("alice");
        assertThat(seen.tripReason()).isEqualTo("maintenance");
        assertThatThrownBy(() -> Calls.succeed(b.breaker("draftkings"))).isInstanceOfSatisfying(
                CircuitOpenException.class, e -> assertThat(e.remainingMillis()).isEqualTo(-1));
        assertThat(tripsSeenByB).singleElement().satisfies(e -> {
            assertThat(e.change().cause()).isEqualTo(Cause.OPERATOR_TRIP);
            assertThat(e.change().remote()).isTrue();
            assertThat(e.user()).isEqualTo("alice");
        });
        assertThat(b.audit("draftkings", 10)).as("audited once, by the instance that did it").hasSize(1);
    }

    @Test
    void aResetOnOneInstanceClosesTheBreakerOnTheOther() {
        start(true);
        a.trip("draftkings", "maintenance", "alice");
        clock.advance(Duration.ofSeconds(61));

        b.reset("draftkings", "done", "bob", false);

        assertThat(a.isTripped("draftkings")).isFalse();
        assertThat(a.status("draftkings").orElseThrow().lastResetBy()).isEqualTo("bob");
    }

    @Test
    void sharesAutomaticTripsByDefault() {
        start(true);
        Calls.failTimes(a.breaker("fanduel"), 10);
        a.flush();

        assertThat(b.isTripped("fanduel")).isTrue();
        assertThat(b.status("fanduel").orElseThrow().tripCount()).isEqualTo(1);
    }

    @Test
    void keepsAutomaticTripsLocalWhenToldTo() {
        start(false);
        Calls.failTimes(a.breaker("fanduel"), 10);
        a.flush();
        b.trip("pinnacle", "maintenance", "carol");

        assertThat(b.isTripped("fanduel")).isFalse();
        assertThat(a.isTripped("pinnacle")).as("operator trips are always shared").isTrue();
    }

    @Test
    void anotherInstancesCountsNeverOverwriteATrip() {
        start(false);
        Calls.failTimes(a.breaker("fanduel"), 10);
        a.flush();
        Calls.failTimes(b.breaker("fanduel"), 3);
        b.flush();

        assertThat(db.row("fanduel").state()).isEqualTo(State.OPEN);
        assertThat(db.row("fanduel").failureScore()).isEqualTo(3.0);
    }

    @Test
    void theNewestStateChangeWins() {
        start(true);
        a.trip("draftkings", "t1", "alice");
        clock.advance(Duration.ofSeconds(61));
        a.reset("draftkings", "r1", "alice", false);
        clock.advance(Duration.ofSeconds(1));
        b.trip("draftkings", "t2", "bob");

        // an old notification arriving late must not undo the newer trip
        BreakerStatus before = b.status("draftkings").orElseThrow();
        a.flush();

        assertThat(b.status("draftkings").orElseThrow()).isEqualTo(before);
        assertThat(a.status("draftkings").orElseThrow().tripReason()).isEqualTo("t2");
        assertThat(b.audit("draftkings", 10)).extracting(AuditRecord::reason).containsExactly("t2", "r1", "t1");
    }

    /**
     * Regression: an automatic trip written over a row this instance had not heard of yet (an old
     * reset whose notification was late) gave way to it, so the breaker closed again although it
     * had just seen ten failures. The newer change is kept and stored over the row.
     */
    @Test
    void aLocalTripNewerThanAStoredChangeNotHeardOfYetIsKeptAndStoredOverIt() {
        start(true);
        long longAgo = clock.wallMillis() - 3_600_000;
        for (int v = 1; v <= 3; v++) { // three changes long ago, the last a reset
            db.commitUnannounced(dev.fusebox.spi.BreakerSnapshot.builder("fanduel", State.CLOSED).version(v)
                    .cause(Cause.OPERATOR_RESET).lastReset(longAgo, "carol", "cleared last week")
                    .times(longAgo, longAgo).build(), v - 1);
        }

        Calls.failTimes(a.breaker("fanduel"), 10);
        a.flush();
        a.flush();

        assertThat(a.isTripped("fanduel")).isTrue();
        assertThat(db.row("fanduel").state()).isEqualTo(State.OPEN);
        assertThat(db.row("fanduel").version()).isEqualTo(4);
        assertThat(b.isTripped("fanduel")).as("and shared").isTrue();
    }

    @Test
    void aLocalTripGivesWayToAnOperatorsNewerStoredChange() {
        start(true);
        db.unreachable(true);
        Calls.failTimes(a.breaker("fanduel"), 10); // tripped here, not written yet
        clock.advance(Duration.ofSeconds(1));
        long now = clock.wallMillis();
        db.commitUnannounced(dev.fusebox.spi.BreakerSnapshot.builder("fanduel", State.CLOSED).version(1)
                .cause(Cause.FORCED_RESET).lastReset(now, "carol", "known issue, keep calling").times(now, now)
                .build(), 0);
        db.unreachable(false);

        a.flush();

        assertThat(a.isTripped("fanduel")).as("the operator's reset is the last word").isFalse();
        assertThat(db.row("fanduel").version()).isEqualTo(1);
    }
}
