package dev.fusebox.micrometer;

import static dev.fusebox.micrometer.Commands.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard's queries, checked by the real promtool as recording rules. */
class GrafanaDashboardTest {

    private static final Path DASHBOARD = Path.of("").toAbsolutePath().resolveSibling("docs/grafana/fusebox.json");

    @Test
    void theGrafanaDashboardsQueriesAreValidPromQlOverPublishedMetrics() throws Exception {
        JsonNode root = new ObjectMapper().readTree(DASHBOARD.toFile());
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int n = 0;
        for (JsonNode panel : root.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
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
}
