package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.Cause;
import dev.fusebox.event.BreakerListener;
import dev.fusebox.event.RegistryListener;
import dev.fusebox.testing.Calls;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ListenerTest {

    private final ManualClock clock = new ManualClock();
    private final TestLoad load = new TestLoad();
    private final CircuitBreakerRegistry registry = Registries.manual(clock, load).build();
    private final List<BreakerEvent> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        registry.close();
    }

    /** Records every event, success included. */
    private final class Recorder implements BreakerListener {
        @Override public boolean wantsSuccessEvents() { return true; }
        @Override public void onSuccess(BreakerEvent.CallSucceeded e) { seen.add(e); }
        @Override public void onFailure(BreakerEvent.CallFailed e) { seen.add(e); }
        @Override public void onTimeout(BreakerEvent.CallTimedOut e) { seen.add(e); }
        @Override public void onRejected(BreakerEvent.CallRejected e) { seen.add(e); }
        @Override public void onShed(BreakerEvent.CallShed e) { seen.add(e); }
        @Override public void onTrip(BreakerEvent.Tripped e) { seen.add(e); }
        @Override public void onReset(BreakerEvent.Reset e) { seen.add(e); }
        @Override public void onResetDenied(BreakerEvent.ResetDenied e) { seen.add(e); }
        @Override public void onStateChange(BreakerEvent.StateChanged e) { seen.add(e); }
    }

    /** Throws on every event. */
    private static final class Broken implements BreakerListener {
        @Override public boolean wantsSuccessEvents() { return true; }
        @Override public void onSuccess(BreakerEvent.CallSucceeded e) { throw new IllegalStateException("listener bug"); }
        @Override public void onFailure(BreakerEvent.CallFailed e) { throw new IllegalStateException("listener bug"); }
        @Override public void onTrip(BreakerEvent.Tripped e) { throw new IllegalStateException("listener bug"); }
        @Override public void onStateChange(BreakerEvent.StateChanged e) { throw new IllegalStateException("listener bug"); }
        @Override public void onRejected(BreakerEvent.CallRejected e) { throw new IllegalStateException("listener bug"); }
    }

    @Test
    void aThrowingListenerNeverBreaksACallOrTheOtherListeners() throws Exception {
        registry.addListener(new Broken());
        registry.addListener(new Recorder());
        CircuitBreaker b = registry.breaker("draftkings");

        assertThat(Calls.succeed(b)).isEqualTo("ok");
        Exception failure = Calls.fail(b, "boom");
        Calls.failTimes(b, 9);
        assertThatThrownBy(() -> Calls.succeed(b)).isInstanceOf(CircuitOpenException.class);

        assertThat(failure).hasMessage("boom");
        assertThat(b.isTripped()).isTrue();
        assertThat(seen).hasAtLeastOneElementOfType(BreakerEvent.CallSucceeded.class)
                .hasAtLeastOneElementOfType(BreakerEvent.Tripped.class)
                .hasAtLeastOneElementOfType(BreakerEvent.CallRejected.class);
    }

    @Test
    void publishesEachKindOfEventWithClockTimestamps() throws Exception {
        registry.addListener(new Recorder());
        CircuitBreaker b = registry.breaker("draftkings");

        Calls.succeed(b);
        Calls.timeout(b);
        Calls.failTimes(b, 10);
        clock.advance(Duration.ofSeconds(10));
        assertThatThrownBy(() -> Calls.succeed(b)).isInstanceOf(CircuitOpenException.class);
        assertThatThrownBy(() -> b.reset("too early", "bob", false)).isInstanceOf(ResetDeniedException.class);
        b.reset("cleared", "alice", true);
        load.set(0.95);
        registry.sampleLoad();
        assertThatThrownBy(() -> b.call(() -> "x", CallContext.of("heavy", 500)))
                .isInstanceOf(LoadShedException.class);

        assertThat(seen).extracting(e -> e.getClass().getSimpleName()).containsExactly(
                "CallSucceeded", "CallTimedOut",
                "CallFailed", "CallFailed", "CallFailed", "CallFailed", "CallFailed",
                "CallFailed", "CallFailed", "CallFailed", "CallFailed", "CallFailed",
                "StateChanged", "Tripped",
                "CallRejected", "ResetDenied", "StateChanged", "Reset", "CallShed");
        assertThat(seen).allSatisfy(e -> assertThat(e.key()).isEqualTo("draftkings"));
        assertThat(seen.get(0).atMillis()).isEqualTo(ManualClock.START.toEpochMilli());
        BreakerEvent.Tripped trip = (BreakerEvent.Tripped) seen.get(13);
        assertThat(trip.change().cause()).isEqualTo(Cause.FAILURES);
        assertThat(trip.failures()).as("0.5 + 10 x 1.0").isEqualTo(10.5);
    }

    @Test
    void buildsNoSuccessEventsUnlessAListenerWantsThem() throws Exception {
        registry.addListener(new BreakerListener() {
            @Override
            public void onSuccess(BreakerEvent.CallSucceeded event) {
                seen.add(event);
            }
        });

        Calls.succeed(registry.breaker("k"));

        assertThat(seen).isEmpty();
    }

    @Test
    void removedListenersHearNothing() {
        Recorder recorder = new Recorder();
        registry.addListener(recorder);
        assertThat(registry.removeListener(recorder)).isTrue();

        Calls.fail(registry.breaker("k"));

        assertThat(seen).isEmpty();
        assertThat(registry.removeListener(recorder)).isFalse();
    }

    @Test
    void tellsRegistryListenersAboutBreakersAddedAndRemoved() {
        registry.breaker("existing");
        List<String> log = new CopyOnWriteArrayList<>();
        registry.addRegistryListener(new RegistryListener() {
            @Override
            public void onBreakerAdded(CircuitBreaker breaker) {
                log.add("+" + breaker.key());
            }

            @Override
            public void onBreakerRemoved(CircuitBreaker breaker) {
                log.add("-" + breaker.key());
            }
        });

        registry.breaker("later");
        registry.breaker("later");
        registry.remove("existing");

        assertThat(log).containsExactly("+existing", "+later", "-existing");
    }
}
