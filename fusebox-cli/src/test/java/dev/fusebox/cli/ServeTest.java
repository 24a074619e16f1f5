package dev.fusebox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.store.jdbc.JdbcBreakerStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fusebox serve} as a real process over a real SQLite file. */
class ServeTest {

    @TempDir
    Path dir;

    @Test
    void servesTheStoreAndFollowsChangesOtherProcessesMake() throws Exception {
        Path db = dir.resolve("circuit_breaker.db");
        Path tokens = dir.resolve("admin-tokens");
        // Slack's side of an incoming webhook, on loopback: every posted message lands here.
        BlockingQueue<String> slack = new LinkedBlockingQueue<>();
        HttpServer webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        webhook.createContext("/services/T1/B1/secret", exchange -> {
            try (exchange) {
                slack.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        webhook.start();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process serve = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                FuseboxCli.class.getName(), "serve", "--db", db.toString(), "--port", "0", "--tokens", tokens.toString(),
                "--slack-webhook", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/services/T1/B1/secret")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        HttpClient http = HttpClient.newHttpClient();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            Matcher m = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)").matcher(first == null ? "" : first);
            assertThat(m.find()).as(first).isTrue();
            assertThat(out.readLine()).isEqualTo("Notifications: Slack");
            String base = "http://127.0.0.1:" + m.group(1);
            String token = Files.readAllLines(tokens).stream().filter(l -> l.startsWith("admin:")).findFirst()
                    .orElseThrow().substring("admin:".length());

            // another process (here: a registry of this JVM over the same file) trips a breaker
            try (CircuitBreakerRegistry service = CircuitBreakerRegistry.builder().store(JdbcBreakerStore.sqlite(db)).build()) {
                service.trip("draftkings", "tripped by the service", "alice");
            }
            String status = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!status.contains("\"tripped\":true") && System.nanoTime() < deadline) {
                status = http.send(HttpRequest.newBuilder(URI.create(base + "/api/breakers/draftkings")).build(),
                        HttpResponse.BodyHandlers.ofString()).body(); // each request is real work: no sleep
            }
            assertThat(status).contains("\"tripped\":true", "\"trippedBy\":\"alice\"");

            HttpResponse<String> trip = http.send(HttpRequest.newBuilder(URI.create(base + "/api/breakers/fanduel/trip"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"from the control plane\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(trip.statusCode()).isEqualTo(200);
            String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("circuit_breaker_tripped{bookmaker=\"fanduel\"} 1",
                    "circuit_breaker_tripped{bookmaker=\"draftkings\"} 1");

            // Both trips reached Slack: the other process's through the store, and the API's.
            assertThat(slack.poll(30, TimeUnit.SECONDS)).contains("TRIPPED: draftkings* by alice. Reason: tripped by the service.");
            assertThat(slack.poll(30, TimeUnit.SECONDS)).contains("TRIPPED: fanduel* by admin. Reason: from the control plane.");
        } finally {
            serve.destroy(); // SIGTERM: the shutdown hook closes the registry and the server
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
            webhook.stop(0);
        }
        try (CircuitBreakerRegistry after = CircuitBreakerRegistry.builder().store(JdbcBreakerStore.sqlite(db)).build()) {
            assertThat(after.isTripped("fanduel")).as("the control plane's trip is in the store").isTrue();
        }
    }
}
