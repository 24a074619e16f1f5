package dev.fusebox.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.BreakerConfig;
import dev.fusebox.BreakerStatus;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.Presets;
import dev.fusebox.State;
import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.BreakerListener;
import dev.fusebox.event.Cause;
import dev.fusebox.event.Change;
import dev.fusebox.spi.BreakerSnapshot;
import dev.fusebox.testing.Calls;
import dev.fusebox.testing.FlakyStore;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.SharedMemoryStore;
import dev.fusebox.testing.TestLoad;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What began and ended a trip, as the notifier tells it: read from each change's cause, never
 * guessed from timestamps. The notifier is bound to this instance; in most tests another shares
 * its store with a clock that disagrees, as hosts' clocks do, and in the rest the store cannot be
 * read for a while.
 */
class ChangeCauseTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final FakeReceiver receiver = new FakeReceiver();
    /** This instance's clock, and the notifier's. */
    private final ManualClock here = new ManualClock();
    /** The other instance's clock: set behind or ahead of {@link #here} by each test. */
    private final ManualClock there = new ManualClock();
    private final SharedMemoryStore db = new SharedMemoryStore();
    private final List<Change> closesSeenHere = new CopyOnWriteArrayList<>();
    private CircuitBreakerRegistry thisInstance;
    private CircuitBreakerRegistry otherInstance;
    private AlertNotifier notifier;

    ChangeCauseTest() throws IOException {
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {notifier, thisInstance, otherInstance, receiver}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void start(BreakerConfig config) {
        thisInstance = Registries.manual(here, new TestLoad()).store(db.view()).defaultConfig(config)
                .listener(new BreakerListener() {
                    @Override
                    public void onStateChange(BreakerEvent.StateChanged event) {
                        if (!event.to().isTripped()) {
                            closesSeenHere.add(event.change());
                        }
                    }
                }).build();
        otherInstance = Registries.manual(there, new TestLoad()).store(db.view()).defaultConfig(config).build();
        notifier = receiver.notifier(here).build().bindTo(thisInstance);
    }

    /** This instance alone, over a store that cannot be read yet. */
    private void startUnreadable(FlakyStore store) {
        store.down(true);
        thisInstance = Registries.manual(here, new TestLoad()).store(store).build();
        notifier = receiver.notifier(here).build().bindTo(thisInstance);
    }

    private void advanceBoth(Duration by) {
        here.advance(by);
        there.advance(by);
    }

    private void idle() throws InterruptedException {
        assertThat(notifier.awaitIdle(WAIT)).as("notifications sent").isTrue();
    }

    @Test
    void postsAResetMadeOnAnotherInstanceAsAResetByItsOperatorWhateverThatInstancesClockSays() throws Exception {
        // Given a breaker tripped here; the other instance's clock runs 10 minutes behind
        here.advance(Duration.ofMinutes(10));
        start(Presets.DEFAULT);
        thisInstance.trip("draftkings", "maintenance", "alice");
        Instant trippedAt = thisInstance.status("draftkings").orElseThrow().trippedAt();
        advanceBoth(Duration.ofMinutes(2));

        // When bob resets it there: by that clock the trip is still ahead, so he has to force it
        otherInstance.reset("draftkings", "upstream fixed", "bob", true);
        idle();

        // Then this instance took bob's reset, stamped before the trip by the other clock,
        assertThat(closesSeenHere).singleElement().satisfies(c -> assertThat(c.remote()).isTrue());
        assertThat(thisInstance.status("draftkings").orElseThrow().lastResetAt()).isBefore(trippedAt);
        // and Slack calls it what it was
        assertThat(receiver.slack.texts()).satisfiesExactly(
                t -> assertThat(t).startsWith(":rotating_light: *Circuit breaker TRIPPED: draftkings* by alice."),
                t -> assertThat(t).startsWith(":white_check_mark: *Circuit breaker RESET: draftkings* by bob. "
                        + "Reason: upstream fixed. Forced inside the reset cooldown."));
        assertThat(receiver.pagerDuty.drain()).as("closed within 5 minutes: no page, no resolve").isEmpty();
    }

    @Test
    void postsARecoveryAfterSuccessfulTrialsAsRecoveredThoughTheLastResetLooksNewerThanTheTrip() throws Exception {
        // Given a breaker tripped and reset here; the other instance's clock runs 10 minutes behind
        here.advance(Duration.ofMinutes(10));
        start(Presets.READ);
        thisInstance.trip("draftkings", "maintenance", "alice");
        advanceBoth(Duration.ofSeconds(61));
        thisInstance.reset("draftkings", "maintenance over", "bob", false);
        // and then tripped by failures there, which its clock puts before bob's reset
        Calls.failTimes(otherInstance.breaker("draftkings"), 3);
        otherInstance.flush();
        BreakerStatus seenHere = thisInstance.status("draftkings").orElseThrow();
        assertThat(seenHere.lastResetAt()).isAfter(seenHere.trippedAt());

        // When trial calls here succeed
        Calls.succeed(thisInstance.breaker("draftkings"));
        Calls.succeed(thisInstance.breaker("draftkings"));
        idle();

        // Then
        assertThat(receiver.slack.texts()).satisfiesExactly(
                t -> assertThat(t).contains("TRIPPED: draftkings* by alice."),
                t -> assertThat(t).contains("RESET: draftkings* by bob."),
                t -> assertThat(t).startsWith(":rotating_light: *Circuit breaker TRIPPED: draftkings* on another "
                        + "instance: 3 failures within 30s. Last error: Error 2."),
                t -> assertThat(t).startsWith(":white_check_mark: *Circuit breaker RECOVERED: draftkings*: "
                        + "trial calls succeeded."));
    }

    @Test
    void postsAnUnknownStateAtOncePagesItAfterTheDelayAndResolvesItOnceTheStateIsRead() throws Exception {
        // Given a store that cannot be read
        FlakyStore store = new FlakyStore();
        startUnreadable(store);

        // When the service first uses a breaker, it refuses calls: its state is unknown
        thisInstance.breaker("draftkings");
        idle();

        // Then it is told like a trip: Slack at once,
        assertThat(receiver.slack.texts()).singleElement().asString().startsWith(
                ":rotating_light: *Circuit breaker STATE UNKNOWN: draftkings*: it refuses calls until its stored state"
                        + " can be read. Reason: state unknown: the stored state could not be read (connection refused).");
        // PagerDuty once it has lasted the page delay,
        here.advance(Duration.ofMinutes(5).minusSeconds(1));
        idle();
        assertThat(receiver.pagerDuty.drain()).isEmpty();
        here.advance(Duration.ofSeconds(1));
        idle();
        assertThat(receiver.pagerDuty.drain()).singleElement().satisfies(page -> {
            assertThat(page.get("event_action").asText()).isEqualTo("trigger");
            assertThat(page.at("/payload/summary").asText()).isEqualTo("Circuit breaker state unknown: draftkings"
                    + " refuses calls: state unknown: the stored state could not be read (connection refused)");
            assertThat(page.at("/payload/class").asText()).isEqualTo("circuit_breaker_state_unknown");
            assertThat(page.at("/payload/custom_details/cause").asText()).isEqualTo("STATE_UNKNOWN");
        });

        // and resolved once the store can be read and has nothing tripped for it
        store.down(false);
        thisInstance.checkStore();
        idle();
        assertThat(receiver.slack.texts()).singleElement().asString().startsWith(":white_check_mark: *Circuit"
                + " breaker STATE READ: draftkings*: calls pass again; the store says it is closed. Reason: stored"
                + " state read: nothing stored.");
        assertThat(receiver.pagerDuty.drain()).singleElement()
                .satisfies(resolve -> assertThat(resolve.get("event_action").asText()).isEqualTo("resolve"));
    }

    @Test
    void aResetReadFromTheStoreLongAfterItWasMadeIsPostedWithTheOperatorsName() throws Exception {
        // Given bob's reset, made on another instance while this one could not read the store
        FlakyStore store = new FlakyStore();
        BreakerSnapshot tripped = BreakerSnapshot.builder("draftkings", State.OPEN).version(1).tripCount(1)
                .cause(Cause.OPERATOR_TRIP).trip(here.wallMillis(), "alice", "maintenance").build();
        store.contents().commit(tripped, 0, List.of());
        store.contents().commit(BreakerSnapshot.builder("draftkings", State.CLOSED).version(2).tripCount(1)
                .cause(Cause.OPERATOR_RESET).lastReset(here.wallMillis(), "bob", "upstream fixed").build(), 1, List.of());
        startUnreadable(store);
        thisInstance.breaker("draftkings");
        here.advance(Duration.ofMinutes(1));

        // When the store can be read again, a minute after the reset
        store.down(false);
        thisInstance.checkStore();
        idle();

        // Then the close is bob's, not trial calls that nobody made
        assertThat(receiver.slack.texts()).satisfiesExactly(
                t -> assertThat(t).contains("STATE UNKNOWN: draftkings*"),
                t -> assertThat(t).startsWith(":white_check_mark: *Circuit breaker STATE READ: draftkings*: calls pass"
                        + " again; the store says it is closed, by bob. Reason: stored state read: upstream fixed."));
        assertThat(thisInstance.status("draftkings").orElseThrow().lastResetAt())
                .as("more than 5 s before the close").isBefore(here.instant().minusSeconds(5));
    }
}
