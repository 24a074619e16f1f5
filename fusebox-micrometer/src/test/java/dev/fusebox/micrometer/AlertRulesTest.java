package dev.fusebox.micrometer;

import static dev.fusebox.micrometer.Commands.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.CallContext;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.testing.Calls;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and the Alertmanager example, checked by the real promtool and amtool, and
 * kept in step with the metrics this module publishes. The example's routing and inhibition run
 * in a real Alertmanager in {@link AlertmanagerExampleTest}.
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
}
