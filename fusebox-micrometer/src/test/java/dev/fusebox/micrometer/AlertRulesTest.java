package dev.fusebox.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and the Alertmanager example, checked by the real promtool and amtool, and
 * kept in step with the metrics this module publishes.
 */
class AlertRulesTest {

    private static final Path ALERTS = Path.of("").toAbsolutePath().resolveSibling("alerts");

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        String out = run(ALERTS, "promtool", "check", "rules", "circuit-breaker.yml");

        assertThat(out).contains("SUCCESS: 5 rules found");
    }

    @Test
    void theRulesPassTheirUnitTestsIncludingNotFiringTooEarly() throws Exception {
        String out = run(ALERTS, "promtool", "test", "rules", "circuit-breaker.test.yml");

        assertThat(out).contains("SUCCESS");
    }

    @Test
    void amtoolAcceptsTheAlertmanagerExample() throws Exception {
        String out = run(ALERTS, "amtool", "check-config", "alertmanager.example.yml");

        assertThat(out).contains("SUCCESS", "2 receivers");
    }

    @Test
    void everyMetricTheRulesUseIsPublished() throws Exception {
        Set<String> used = new TreeSet<>();
        // The metric names in the rules' expressions (the group name is not one).
        String rules = Files.readString(ALERTS.resolve("circuit-breaker.yml")).replace("name: circuit_breaker_alerts", "");
        Matcher m = Pattern.compile("circuit_breaker_[a-z0-9_]+").matcher(rules);
        while (m.find()) {
            used.add(m.group());
        }
        ManualClock clock = new ManualClock();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (CircuitBreakerRegistry breakers = Registries.manual(clock, new TestLoad()).build()) {
            new FuseboxMetrics(breakers).bindTo(prometheus);
            Calls.failTimes(breakers.breaker("draftkings"), 10);
            try {
                breakers.call("draftkings", () -> "x", CallContext.DEFAULT);
            } catch (Exception expected) {
                // one rejection, so that circuit_breaker_rejected_total has a series
            }
            String scrape = prometheus.scrape();

            assertThat(used).isNotEmpty().allSatisfy(name -> assertThat(scrape).contains(name + "{"));
        } finally {
            prometheus.close();
        }
    }

    @Test
    void theGrafanaDashboardsQueriesAreValidPromQlOverPublishedMetrics() throws Exception {
        Path dashboard = ALERTS.resolveSibling("docs/grafana/fusebox.json");
        com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dashboard.toFile());
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int n = 0;
        for (com.fasterxml.jackson.databind.JsonNode panel : root.get("panels")) {
            for (com.fasterxml.jackson.databind.JsonNode target : panel.get("targets")) {
                String expr = target.get("expr").asText().replace("$bookmaker", ".*");
                rules.append("      - record: dashboard_query_").append(n++).append("\n        expr: '")
                        .append(expr.replace("'", "''")).append("'\n");
            }
        }
        Path file = Files.createTempFile("dashboard-queries", ".yml");
        Files.writeString(file, rules);

        String out = run(file.getParent(), "promtool", "check", "rules", file.getFileName().toString());

        assertThat(out).contains("SUCCESS: " + n + " rules found");
        Files.delete(file);
    }

    private static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(String.join(" ", command) + " said:\n" + text).isZero();
        return text;
    }
}
