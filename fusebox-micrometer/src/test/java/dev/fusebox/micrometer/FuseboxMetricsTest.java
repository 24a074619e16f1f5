package dev.fusebox.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.BreakerConfig;
import dev.fusebox.CallContext;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.testing.Calls;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The classic metric names, as Prometheus scrapes them, checked by the real promtool. */
class FuseboxMetricsTest {

    private static final CallContext DEEP_PROBE = CallContext.of("deepProbe", 50);
    private static final CallContext HEAVY = CallContext.of("graphBuild", 200);

    private final ManualClock clock = new ManualClock();
    private final TestLoad load = new TestLoad();
    private final CircuitBreakerRegistry breakers = Registries.manual(clock, load,
            BreakerConfig.builder().latencySampleEvery(1).build());
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @AfterEach
    void close() {
        breakers.close();
        prometheus.close();
    }

    @Test
    void publishesTheSeedMetricsUnderTheirPrometheusNames() throws Exception {
        breakers.breaker("fanduel");
        new FuseboxMetrics(breakers).bindTo(prometheus);
        breakers.breaker("draftkings").call(() -> {
            clock.advanceMillis(40);
            return "ok";
        }, DEEP_PROBE);
        Calls.failTimes(breakers.breaker("draftkings"), 10);
        for (int i = 0; i < 3; i++) {
            reject("draftkings", DEEP_PROBE);
        }
        load.set(0.95);
        breakers.sampleLoad();
        reject("fanduel", HEAVY);
        clock.advance(Duration.ofSeconds(61));
        breakers.reset("draftkings", "cleared", "alice", false);
        breakers.trip("draftkings", "maintenance", "bob");

        String text = prometheus.scrape();

        assertThat(text).contains(
                "circuit_breaker_tripped{bookmaker=\"draftkings\"} 1",
                "circuit_breaker_tripped{bookmaker=\"fanduel\"} 0",
                "circuit_breaker_state{bookmaker=\"draftkings\"} 1",
                "circuit_breaker_failure_threshold{bookmaker=\"draftkings\"} 10",
                "circuit_breaker_trip_count{bookmaker=\"draftkings\"} 2",
                "circuit_breaker_trips_total{bookmaker=\"draftkings\"} 2",
                "circuit_breaker_resets_total{bookmaker=\"draftkings\"} 1",
                "circuit_breaker_latency_ms{bookmaker=\"draftkings\"} 40",
                "circuit_breaker_rejected_total{bookmaker=\"draftkings\",operation=\"deepProbe\",reason=\"tripped\"} 3",
                "circuit_breaker_rejected_total{bookmaker=\"draftkings\",operation=\"deepProbe\",reason=\"load_shed\"} 0",
                "circuit_breaker_rejected_total{bookmaker=\"fanduel\",operation=\"graphBuild\",reason=\"load_shed\"} 1",
                "circuit_breaker_call_duration_seconds_count{bookmaker=\"draftkings\"} 1",
                "circuit_breaker_call_duration_seconds_bucket{bookmaker=\"draftkings\",le=");
        assertThat(text).containsPattern("circuit_breaker_failures_1m\\{bookmaker=\"draftkings\"} 0(\\.0)?\\n");
    }

    @Test
    void followsBreakersCreatedAndRemovedLater() {
        new FuseboxMetrics(breakers).bindTo(prometheus);
        assertThat(prometheus.scrape()).doesNotContain("pinnacle");

        breakers.breaker("pinnacle").trip("maintenance", "alice");
        assertThat(prometheus.scrape()).contains("circuit_breaker_tripped{bookmaker=\"pinnacle\"} 1");

        breakers.remove("pinnacle");
        assertThat(prometheus.scrape()).doesNotContain("pinnacle");
    }

    @Test
    void usesAConfiguredKeyTag() {
        new FuseboxMetrics(breakers, "upstream", FuseboxMetrics.Naming.CLASSIC).bindTo(prometheus);
        breakers.breaker("db-read");

        assertThat(prometheus.scrape()).contains("circuit_breaker_tripped{upstream=\"db-read\"} 0");
        assertThatThrownBy(() -> new FuseboxMetrics(breakers, "bad-tag", FuseboxMetrics.Naming.CLASSIC))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FuseboxMetrics(breakers, "operation", FuseboxMetrics.Naming.CLASSIC))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void promtoolFindsNothingButTheTwoSeedNamesItDislikes() throws Exception {
        new FuseboxMetrics(breakers).bindTo(prometheus);
        someTraffic();

        Promtool result = promtoolCheckMetrics(prometheus.scrape());

        assertThat(result.findings()).containsExactlyInAnyOrder(
                "circuit_breaker_latency_ms metric names should not contain abbreviated units",
                "circuit_breaker_trip_count non-histogram and non-summary metrics should not have \"_count\" suffix");
    }

    @Test
    void prometheusNamingPassesPromtoolCheckMetrics() throws Exception {
        new FuseboxMetrics(breakers, "bookmaker", FuseboxMetrics.Naming.PROMETHEUS).bindTo(prometheus);
        someTraffic();
        String text = prometheus.scrape();

        Promtool result = promtoolCheckMetrics(text);

        assertThat(result.findings()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(text).contains("circuit_breaker_latency_seconds{bookmaker=\"fanduel\"}")
                .doesNotContain("circuit_breaker_trip_count");
    }

    private void someTraffic() throws Exception {
        Calls.failTimes(breakers.breaker("draftkings"), 10);
        reject("draftkings", DEEP_PROBE);
        Calls.succeed(breakers.breaker("fanduel"));
    }

    private record Promtool(int exitCode, java.util.List<String> findings) {
    }

    private static Promtool promtoolCheckMetrics(String exposition) throws Exception {
        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        promtool.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
        promtool.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        promtool.getInputStream().transferTo(out);
        assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Promtool(promtool.exitValue(),
                out.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList());
    }

    private void reject(String key, CallContext ctx) {
        assertThatThrownBy(() -> breakers.call(key, () -> "x", ctx)).isInstanceOf(dev.fusebox.FuseboxException.class);
    }
}
