package dev.fusebox.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code alerts/alertmanager.example.yml} in a real Alertmanager (Debian package
 * {@code prometheus-alertmanager}), on a free loopback port. Its receivers are replaced by webhooks
 * to a loopback server of this test, so that nothing leaves the machine; routes and inhibit rules
 * are the example's, plus the barrier rule described below.
 */
class AlertmanagerExampleTest {

    private static final Path EXAMPLE = Path.of("").toAbsolutePath().resolveSibling("alerts")
            .resolve("alertmanager.example.yml");
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /*
     * Alertmanager applies inhibit rules from a background reader of the posted alerts, and its API
     * answers from whatever that reader has seen so far: asking right after a post, a target shows as
     * not inhibited whatever the rules say. So the test adds one rule of its own, between two alerts
     * of its own; its source goes last in the same post as the alerts under test. Once its target
     * shows as inhibited, the reader has seen every alert posted before that source.
     */
    private static final String BARRIER_RULE = """
              - source_matchers: [alertname = "TestBarrierSource"]
                target_matchers: [alertname = "TestBarrierTarget"]
            """;

    @TempDir
    static Path dir;
    private static HttpServer webhooks;
    private static Process alertmanager;
    private static URI api;

    @BeforeAll
    static void startAlertmanager() throws Exception {
        webhooks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        webhooks.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhooks.start();
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, testConfig(Files.readString(EXAMPLE),
                "http://127.0.0.1:" + webhooks.getAddress().getPort() + "/"));
        int port = freeLoopbackPort();
        alertmanager = new ProcessBuilder(binary(), "--config.file=" + config, "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=")
                .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
        api = URI.create("http://127.0.0.1:" + port + "/");
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!ready()) {
            if (!alertmanager.isAlive() || System.nanoTime() > deadline) {
                fail("Alertmanager did not start:\n" + Files.readString(dir.resolve("alertmanager.log")));
            }
        }
    }

    @AfterAll
    static void stopAlertmanager() throws Exception {
        if (alertmanager != null) {
            alertmanager.destroy();
            if (!alertmanager.waitFor(10, TimeUnit.SECONDS)) {
                alertmanager.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (webhooks != null) {
            webhooks.stop(0);
        }
    }

    @Test
    void severalBreakersTrippedDoesNotSilenceAnyBreakersOwnPage() throws Exception {
        List<Map<String, String>> breakerPages = Stream.of("draftkings", "fanduel", "betmgm")
                .map(key -> Map.of("alertname", "CircuitBreakerTripped", "severity", "critical", "bookmaker", key))
                .toList();
        List<Map<String, String>> alerts = new ArrayList<>(breakerPages);
        Map<String, String> several = Map.of("alertname", "CircuitBreakersTrippedSeveral", "severity", "critical");
        alerts.add(several);
        alerts.add(Map.of("alertname", "TestBarrierTarget"));
        alerts.add(Map.of("alertname", "TestBarrierSource"));
        post(alerts);

        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!"suppressed".equals(state(find(Map.of("alertname", "TestBarrierTarget"))))) {
            assertThat(System.nanoTime()).as("the barrier alert inhibited within " + DEADLINE).isLessThan(deadline);
        }

        for (Map<String, String> page : breakerPages) {
            JsonNode alert = find(page).orElseThrow();
            assertThat(alert.at("/status/state").asText()).as("state of %s", page).isEqualTo("active");
            assertThat(alert.at("/status/inhibitedBy")).as("inhibitors of %s", page).isEmpty();
        }
        assertThat(state(find(several))).isEqualTo("active");
    }

    @Test
    void criticalAlertsPageAndReachSlackWarningsReachSlackOnly() throws Exception {
        Map<String, String> page = Map.of("alertname", "CircuitBreakerTripped", "severity", "critical",
                "bookmaker", "pointsbet");
        Map<String, String> warning = Map.of("alertname", "CircuitBreakerFlapping", "severity", "warning",
                "bookmaker", "pointsbet");
        post(List.of(page, warning));

        assertThat(receivers(page)).containsExactly("pagerduty-oncall", "slack-circuit-breakers");
        assertThat(receivers(warning)).containsExactly("slack-circuit-breakers");
    }

    /** The example with its receivers replaced by webhooks to {@code url} and the barrier rule added. */
    static String testConfig(String example, String url) {
        int receivers = example.indexOf("\nreceivers:\n");
        assertThat(receivers).as("a top-level receivers: section").isPositive();
        String rest = example.substring(receivers + "\nreceivers:\n".length());
        assertThat(rest.lines().filter(l -> !l.isBlank() && !l.startsWith(" ") && !l.startsWith("#")))
                .as("receivers: is the last top-level section").isEmpty();
        StringBuilder config = new StringBuilder(example.substring(0, receivers)).append("\nreceivers:\n");
        Matcher names = Pattern.compile("(?m)^  - name: (\\S+)$").matcher(rest);
        while (names.find()) {
            config.append("  - name: ").append(names.group(1)).append("\n    webhook_configs:\n      - url: \"")
                    .append(url).append("\"\n");
        }
        Matcher inhibit = Pattern.compile("(?m)^inhibit_rules:( \\[\\])?$").matcher(config);
        assertThat(inhibit.find()).as("a top-level inhibit_rules: list").isTrue();
        return config.replace(inhibit.start(), inhibit.end(), "inhibit_rules:\n" + BARRIER_RULE.stripTrailing())
                .toString();
    }

    private static void post(List<Map<String, String>> labelSets) throws Exception {
        List<Map<String, Object>> body = labelSets.stream().map(l -> Map.<String, Object>of("labels", l)).toList();
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(api.resolve("api/v2/alerts"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    /** The alert with exactly these labels, as Alertmanager's API shows it now. */
    private static Optional<JsonNode> find(Map<String, String> labels) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(api.resolve("api/v2/alerts"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        for (JsonNode alert : JSON.readTree(answer.body())) {
            Map<String, String> got = new LinkedHashMap<>();
            alert.get("labels").fields().forEachRemaining(e -> got.put(e.getKey(), e.getValue().asText()));
            if (got.equals(labels)) {
                return Optional.of(alert);
            }
        }
        return Optional.empty();
    }

    /** The receivers Alertmanager routes the alert with these labels to, once it has it. */
    private static List<String> receivers(Map<String, String> labels) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        Optional<JsonNode> alert = find(labels);
        while (alert.isEmpty()) {
            assertThat(System.nanoTime()).as("%s posted within %s", labels, DEADLINE).isLessThan(deadline);
            alert = find(labels);
        }
        List<String> names = new ArrayList<>();
        alert.get().get("receivers").forEach(r -> names.add(r.get("name").asText()));
        return names;
    }

    private static String state(Optional<JsonNode> alert) {
        return alert.map(a -> a.at("/status/state").asText()).orElse("absent");
    }

    private static boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(api.resolve("-/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Upstream names the binary {@code alertmanager}; Debian, {@code prometheus-alertmanager}. */
    private static String binary() {
        for (String name : List.of("alertmanager", "prometheus-alertmanager")) {
            for (String path : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (!path.isEmpty() && Files.isExecutable(Path.of(path, name))) {
                    return Path.of(path, name).toString();
                }
            }
        }
        return fail("needs Alertmanager on the PATH (Debian package prometheus-alertmanager)");
    }
}
