package dev.fusebox.micrometer;

import static dev.fusebox.micrometer.Commands.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard's queries, run by the real promtool as recording rules: valid PromQL over
 * the published metrics, and one line per breaker however many processes export it.
 */
class GrafanaDashboardTest {

    private static final Path DASHBOARD = Path.of("").toAbsolutePath().resolveSibling("docs/grafana/fusebox.json");

    /* Three processes export every breaker: two service instances and fusebox serve. */
    private static final List<String> PROCESSES = List.of(
            "job=\"betting-api\",instance=\"api-1:8080\"",
            "job=\"betting-api\",instance=\"api-2:8080\"",
            "job=\"fusebox-serve\",instance=\"ops:3000\"");
    private static final Map<String, List<String>> LABEL_VALUES = Map.of(
            "bookmaker", List.of("draftkings", "fanduel", "betmgm"),
            "reason", List.of("tripped", "load_shed"));

    @TempDir
    Path dir;

    @Test
    void theGrafanaDashboardsQueriesAreValidPromQlOverPublishedMetrics() throws Exception {
        List<DashboardQuery> queries = dashboardQueries();
        Files.writeString(dir.resolve("queries.yml"), recordingRules(queries));

        String out = run(dir, "promtool", "check", "rules", "queries.yml");

        assertThat(out).contains("SUCCESS: " + queries.size() + " rules found");
    }

    @Test
    void theDashboardShowsEachBreakerOnceHoweverManyProcessesExportIt() throws Exception {
        List<DashboardQuery> queries = dashboardQueries();
        StringBuilder checks = new StringBuilder();
        for (int i = 0; i < queries.size(); i++) {
            DashboardQuery q = queries.get(i);
            String recorded = "dashboard_query_" + i;
            // One line (or table row) per breaker: the legend names the labels that tell lines apart.
            List<String> legend = q.legendLabels();
            checks.append(exprTest("count by (" + String.join(", ", legend) + ") (" + recorded + ")",
                    combinations(legend).stream().map(labels -> sample(labels, 1)).toList()));
            checks.append(exprTest(recorded + " != " + recorded, List.of())); // no NaN line
            if (q.title().equals("Tripped breakers")) {
                checks.append(exprTest(recorded, List.of(sample("__name__=\"" + recorded + "\"", 2))));
            }
        }
        Files.writeString(dir.resolve("queries.yml"), recordingRules(queries));
        Files.writeString(dir.resolve("queries.test.yml"), "rule_files:\n  - queries.yml\nevaluation_interval: 1m\n"
                + "tests:\n  - interval: 1m\n    input_series:\n" + inputSeries(queries)
                + "    promql_expr_test:\n" + checks);

        String out = run(dir, "promtool", "test", "rules", "queries.test.yml");

        assertThat(out).contains("SUCCESS");
    }

    /**
     * Every series the queries read, for each breaker from each process. draftkings is tripped in
     * every process, fanduel in one only (a trip not shared), betmgm nowhere; so two breakers are
     * tripped. The third process has had no sampled call: its latency gauges are NaN.
     */
    private static String inputSeries(List<DashboardQuery> queries) {
        Set<String> metrics = new TreeSet<>();
        queries.forEach(q -> metrics.addAll(metricNames(q.expr())));
        StringBuilder input = new StringBuilder();
        for (String metric : metrics) {
            for (String bookmaker : LABEL_VALUES.get("bookmaker")) {
                for (int process = 0; process < PROCESSES.size(); process++) {
                    String labels = "bookmaker=\"" + bookmaker + "\"," + PROCESSES.get(process);
                    boolean tripped = bookmaker.equals("draftkings") || bookmaker.equals("fanduel") && process == 0;
                    switch (metric) {
                        case "circuit_breaker_rejected_total" -> LABEL_VALUES.get("reason").forEach(reason ->
                                input.append(series(metric, labels + ",operation=\"deepProbe\",reason=\"" + reason + "\"",
                                        "0+6x20")));
                        case "circuit_breaker_call_duration_seconds_bucket" -> input
                                .append(series(metric, labels + ",le=\"0.05\"", "0+3x20"))
                                .append(series(metric, labels + ",le=\"+Inf\"", "0+6x20"));
                        case "circuit_breaker_tripped", "circuit_breaker_state" ->
                                input.append(series(metric, labels, tripped ? "1x20" : "0x20"));
                        case "circuit_breaker_failures_1m" -> input.append(series(metric, labels, (3 + process) + "x20"));
                        case "circuit_breaker_failure_threshold" -> input.append(series(metric, labels, "10x20"));
                        case "circuit_breaker_latency_ms" -> input.append(series(metric, labels,
                                process == 2 ? String.join(" ", Collections.nCopies(21, "NaN")) : (40 + process) + "x20"));
                        case "circuit_breaker_trip_count" -> input.append(series(metric, labels, "7x20"));
                        case "circuit_breaker_trips_total", "circuit_breaker_resets_total" ->
                                input.append(series(metric, labels, "0+1x20"));
                        default -> throw new AssertionError("the dashboard reads " + metric + ": give it test input here");
                    }
                }
            }
        }
        return input.toString();
    }

    /** A Grafana target: its panel's title, its query ({@code $bookmaker} matching all) and legend. */
    private record DashboardQuery(String title, String expr, String legend) {

        /** The labels the legend shows; a table without a legend shows a row per breaker. */
        List<String> legendLabels() {
            if (legend == null) {
                return List.of("bookmaker");
            }
            List<String> labels = new ArrayList<>();
            Matcher m = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}").matcher(legend);
            while (m.find()) {
                labels.add(m.group(1));
            }
            return labels;
        }
    }

    private static List<DashboardQuery> dashboardQueries() throws IOException {
        JsonNode root = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<DashboardQuery> queries = new ArrayList<>();
        for (JsonNode panel : root.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                queries.add(new DashboardQuery(panel.get("title").asText(),
                        target.get("expr").asText().replace("$bookmaker", ".*"),
                        target.hasNonNull("legendFormat") ? target.get("legendFormat").asText() : null));
            }
        }
        return queries;
    }

    private static String recordingRules(List<DashboardQuery> queries) {
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < queries.size(); i++) {
            rules.append("      - record: dashboard_query_").append(i).append("\n        expr: '")
                    .append(queries.get(i).expr().replace("'", "''")).append("'\n");
        }
        return rules.toString();
    }

    private static Set<String> metricNames(String expr) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("circuit_breaker_[a-z0-9_]+").matcher(expr);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    /** Every combination of the input's values of these labels, as PromQL label pairs. */
    private static List<String> combinations(List<String> labels) {
        List<String> result = List.of("");
        for (String label : labels) {
            List<String> next = new ArrayList<>();
            List<String> values = LABEL_VALUES.get(label);
            if (values == null) {
                throw new AssertionError("a legend shows " + label + ": give it test input here");
            }
            for (String prefix : result) {
                for (String value : values) {
                    next.add((prefix.isEmpty() ? "" : prefix + ",") + label + "=\"" + value + "\"");
                }
            }
            result = next;
        }
        return result;
    }

    private static String series(String metric, String labels, String values) {
        return "      - series: '" + metric + "{" + labels + "}'\n        values: '" + values + "'\n";
    }

    private static String sample(String labels, double value) {
        return "          - labels: '{" + labels + "}'\n            value: " + value + "\n";
    }

    private static String exprTest(String expr, List<String> samples) {
        return "      - expr: '" + expr + "'\n        eval_time: 10m\n        exp_samples:"
                + (samples.isEmpty() ? " []\n" : "\n" + String.join("", samples));
    }
}
