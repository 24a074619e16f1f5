package dev.fusebox.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API while its store hangs, as a database does during an outage. */
class StoreOutageTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void healthAndMetricsAnswerFromMemoryWhileTripsWaitForAHangingStore() throws Exception {
        HangingStore store = new HangingStore();
        try (CircuitBreakerRegistry breakers = Registries.manual(new ManualClock(), new TestLoad()).store(store).build();
             AdminServer server = AdminServer.builder(breakers).port(0).tokensFile(Fixtures.tokens(dir)).threads(1)
                     .start()) {
            String base = "http://127.0.0.1:" + server.port();
            // Twice what the store's lane holds with one thread: one running, four waiting.
            List<CompletableFuture<HttpResponse<String>>> storeBound = new ArrayList<>();
            long sent = System.nanoTime();
            long[] answeredAt = new long[10];
            for (int i = 0; i < 10; i++) {
                int n = i;
                HttpRequest r = trip("k" + i, base);
                storeBound.add(http.sendAsync(r, HttpResponse.BodyHandlers.ofString())
                        .whenComplete((answer, failure) -> answeredAt[n] = System.nanoTime()));
            }
            assertThat(store.awaitEntered()).isTrue();

            List<Long> readMillis = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                for (String path : new String[] {"/health", "/metrics"}) {
                    long start = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as(path).isEqualTo(200);
                    readMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                }
            }
            // Those past the lane's room are refused at once, while the store still hangs.
            List<HttpResponse<String>> refused = Answers.await(storeBound, 5, Duration.ofSeconds(10));
            long refusedMillis = TimeUnit.NANOSECONDS.toMillis(
                    java.util.Arrays.stream(answeredAt).max().orElseThrow() - sent);
            assertThat(refused).as("requests answered while the store hangs").hasSize(5)
                    .allSatisfy(r -> assertThat(r.body()).contains("\"BUSY\""))
                    .extracting(HttpResponse::statusCode).containsOnly(503);

            List<Long> sorted = readMillis.stream().sorted().toList();
            System.out.printf("measured: GET /health and /metrics while the store hangs: p50 %d ms, max %d ms over %d"
                            + " requests; the 5 store-bound requests past the lane's room refused BUSY within %d ms%n",
                    sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), sorted.size(), refusedMillis);

            store.recover();
            // The five the lane held are answered once the store is back.
            assertThat(Answers.await(storeBound, 10, Duration.ofSeconds(30))).extracting(HttpResponse::statusCode)
                    .containsOnly(200, 503).filteredOn(code -> code == 200).hasSize(5);
        }
    }

    @Test
    void anonymousAuditReadsNeverCrowdOutAnOperatorsTrip() throws Exception {
        HangingStore store = HangingStore.auditReadsOnly();
        try (CircuitBreakerRegistry breakers = Registries.manual(new ManualClock(), new TestLoad()).store(store).build();
             AdminServer server = AdminServer.builder(breakers).port(0).tokensFile(Fixtures.tokens(dir)).threads(1)
                     .start()) {
            String base = "http://127.0.0.1:" + server.port();
            List<CompletableFuture<HttpResponse<String>>> audits = new ArrayList<>();
            // fourteen: within the connections one client may hold (16), with room for the trip
            for (int i = 0; i < 14; i++) {
                audits.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/audit")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            assertThat(store.awaitEntered()).isTrue();
            // two reading, eight waiting: the other four are refused at once
            assertThat(Answers.await(audits, 4, Duration.ofSeconds(30))).hasSize(4)
                    .extracting(HttpResponse::statusCode).containsOnly(503);

            HttpResponse<String> trip = http.send(trip("draftkings", base), HttpResponse.BodyHandlers.ofString());

            assertThat(trip.statusCode()).as(trip.body()).isEqualTo(200);
            assertThat(breakers.isTripped("draftkings")).isTrue();
            store.recover();
            assertThat(Answers.await(audits, 14, Duration.ofSeconds(30))).extracting(HttpResponse::statusCode)
                    .containsOnly(200, 503).filteredOn(code -> code == 200).hasSize(10);
        }
    }

    private static HttpRequest trip(String key, String base) {
        return HttpRequest.newBuilder(URI.create(base + "/api/breakers/" + key + "/trip"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + Fixtures.ALICE)
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"outage drill\"}")).build();
    }
}
