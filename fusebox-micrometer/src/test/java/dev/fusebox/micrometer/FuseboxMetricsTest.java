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
    void publishesTheClassicMetricsUnderTheirPrometheusNames() throws Exception {
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
    void aBreakerHasFourteenSeriesByDefaultPlusTwoPerOperationThatHadCallsRefused() throws Exception {
        new FuseboxMetrics(breakers).bindTo(prometheus);
        Calls.succeed(breakers.breaker("quiet"));
        Calls.failTimes(breakers.breaker("refusing"), 10);
        reject("refusing", DEEP_PROBE);

        String text = prometheus.scrape();

        assertThat(seriesOf(text, "quiet")).isEqualTo(14);
        assertThat(seriesOf(text, "refusing")).isEqualTo(16);
        assertThat(text).contains(
                "circuit_breaker_call_duration_seconds_bucket{bookmaker=\"quiet\",le=\"0.1\"} 1",
                "circuit_breaker_call_duration_seconds_bucket{bookmaker=\"quiet\",le=\"1.0\"} 1",
                "circuit_breaker_call_duration_seconds_bucket{bookmaker=\"quiet\",le=\"+Inf\"} 1");
    }

    @Test
    void theFullHistogramIsAnOption() throws Exception {
        new FuseboxMetrics(breakers, "bookmaker", FuseboxMetrics.Naming.CLASSIC, FuseboxMetrics.Histogram.FULL)
                .bindTo(prometheus);
        Calls.succeed(breakers.breaker("quiet"));

        String text = prometheus.scrape();

        assertThat(seriesOf(text, "quiet")).isGreaterThan(60);
    }

    @Test
    void anEvictedBreakerTakesItsSeriesWithItAndTheRegistryCountsAreShown() throws Exception {
        try (CircuitBreakerRegistry bounded = Registries.manual(clock, load)
                .defaultConfig(BreakerConfig.builder().failureThreshold(1).build())
                .maxBreakers(2).idleTimeout(Duration.ZERO).build()) {
            new FuseboxMetrics(bounded).bindTo(prometheus);
            bounded.call("a", () -> "ok", DEEP_PROBE);
            failingCall(bounded, "b"); // tripped: it stays
            bounded.call("c", () -> "ok", DEEP_PROBE); // room is made: a goes
            bounded.call("d", () -> "ok", DEEP_PROBE); // and then c
            String text = prometheus.scrape();

            assertThat(seriesOf(text, "a")).isZero();
            assertThat(seriesOf(text, "c")).isZero();
            assertThat(seriesOf(text, "b")).isEqualTo(14);
            assertThat(seriesOf(text, "d")).isEqualTo(14);
            assertThat(text).contains("circuit_breaker_registry_breakers 2.0", "circuit_breaker_registry_max_breakers 2.0",
                    "circuit_breaker_registry_evicted_total 2.0", "circuit_breaker_registry_overflow_calls_total 0.0");

            failingCall(bounded, "d");
            assertThat(bounded.call("e", () -> "ran", DEEP_PROBE)).isEqualTo("ran"); // both tripped: no breaker
            assertThat(prometheus.scrape()).contains("circuit_breaker_registry_overflow_calls_total 1.0")
                    .doesNotContain("bookmaker=\"e\"");
        }
    }

    private static void failingCall(CircuitBreakerRegistry registry, String key) {
        assertThatThrownBy(() -> registry.call(key, () -> {
            throw new IllegalStateException("upstream 500");
        }, DEEP_PROBE)).isInstanceOf(IllegalStateException.class);
    }

    /** The series (lines with a value) of one breaker in a scrape. */
    private static long seriesOf(String text, String key) {
        return text.lines().filter(l -> !l.startsWith("#") && l.contains("bookmaker=\"" + key + "\"")).count();
    }

    @Test
    void promtoolFindsNothingButTheTwoClassicNamesItDislikes() throws Exception {
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
