package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.Calls;
import dev.fusebox.testing.LogCapture;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The log lines on-call engineers grep for. */
class LogLinesTest {

    private final ManualClock clock = new ManualClock();
    private final TestLoad load = new TestLoad();
    private final LogCapture log = new LogCapture();
    private final CircuitBreakerRegistry registry = Registries.manual(clock, load).build();

    @AfterEach
    void close() {
        registry.close();
        log.close();
    }

    @Test
    void logsTheTripWithFailuresAndLastError() {
        Calls.failTimes(registry.breaker("draftkings"), 9);
        Calls.fail(registry.breaker("draftkings"), "500 Internal Server Error");

        assertThat(log.lines()).contains("[CIRCUIT_BREAKER] TRIPPED: draftkings after 10 failures. "
                + "Last error: 500 Internal Server Error. Manual intervention required.");
    }

    @Test
    void logsResetsAndMarksForcedOnes() {
        registry.trip("draftkings", "maintenance", "bob");
        registry.reset("draftkings", "API team cleared incident", "alice", true);

        assertThat(log.lines()).contains(
                "[CIRCUIT_BREAKER] TRIPPED: draftkings by bob. Reason: maintenance. Manual intervention required.",
                "[CIRCUIT_BREAKER] RESET: draftkings by alice. Reason: API team cleared incident (FORCED)");
    }

    @Test
    void logsRejectionsFromTheBackgroundAtMostOncePerInterval() {
        registry.trip("draftkings", "maintenance", "bob");
        rejectDeepProbes(1);
        assertThat(log.linesContaining("Rejected")).as("never logged on the call path").isEmpty();

        clock.advance(Duration.ofSeconds(1));
        rejectDeepProbes(5);
        clock.advance(Duration.ofSeconds(1));
        assertThat(log.linesContaining("Rejected")).containsExactly(
                "[CIRCUIT_BREAKER] Rejected deepProbe for draftkings: circuit tripped (manual reset required)");

        clock.advance(Duration.ofSeconds(9));
        assertThat(log.linesContaining("Rejected")).hasSize(2).last().isEqualTo(
                "[CIRCUIT_BREAKER] Rejected deepProbe for draftkings: circuit tripped (manual reset required);"
                        + " 5 calls rejected since the last report");
        clock.advance(Duration.ofSeconds(30));
        assertThat(log.linesContaining("Rejected")).as("quiet when nothing is rejected").hasSize(2);
    }

    private void rejectDeepProbes(int n) {
        for (int i = 0; i < n; i++) {
            assertThatThrownBy(() -> registry.call("draftkings", () -> "x", CallContext.of("deepProbe", 50)))
                    .isInstanceOf(CircuitOpenException.class);
        }
    }

    @Test
    void logsLoadShedWithSystemAndOperationLoad() {
        load.set(0.93);
        registry.sampleLoad();

        assertThatThrownBy(() -> registry.call("fanduel", () -> "x", CallContext.of("graph_build", 200)))
                .isInstanceOf(LoadShedException.class);
        clock.advance(Duration.ofSeconds(1));

        assertThat(log.lines()).contains(
                "[CIRCUIT_BREAKER] Load shed graph_build for fanduel: system load 93.0%, operation load 200");
    }

    @Test
    void logsRecoveryOfAnAutomaticBreaker() throws Exception {
        CircuitBreakerRegistry auto = Registries.manual(clock, load, Presets.READ.toBuilder().latencySampleEvery(1).build());
        CircuitBreaker db = auto.breaker("db-read");
        Calls.failTimes(db, 3);
        clock.advance(Duration.ofSeconds(3));
        Calls.succeed(db);
        db.call(() -> {
            clock.advanceMillis(42);
            return "ok";
        }, Calls.TEST);

        assertThat(log.lines()).contains(
                "[CIRCUIT_BREAKER] TRIPPED: db-read after 3 failures. Last error: Error 2. Trial calls in 3000ms.",
                "[CIRCUIT_BREAKER] SUCCESS: db-read recovered. Latency: 42ms. Failure count reset to 0.");
        auto.close();
    }

    @Test
    void logsDeniedResets() {
        registry.trip("draftkings", "maintenance", "bob");
        clock.advance(Duration.ofSeconds(12));

        assertThatThrownBy(() -> registry.reset("draftkings", "eager", "carol", false))
                .isInstanceOf(ResetDeniedException.class);

        assertThat(log.lines()).contains(
                "[CIRCUIT_BREAKER] RESET DENIED: draftkings by carol: cooldown, 48000ms remaining. Use force to override.");
    }
}
