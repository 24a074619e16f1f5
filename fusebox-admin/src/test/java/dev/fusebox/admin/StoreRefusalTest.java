package dev.fusebox.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.testing.FlakyStore;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API never answers success for what the store did not take, and refuses keys that print like others. */
class StoreRefusalTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aTripTheStoreDoesNotTakeIsRefusedWith503AndChangesNothing() throws Exception {
        FlakyStore store = new FlakyStore();
        try (CircuitBreakerRegistry breakers = Registries.manual(new ManualClock(), new TestLoad()).store(store).build();
             AdminServer server = AdminServer.builder(breakers).port(0).tokensFile(Fixtures.tokens(dir)).start()) {
            store.down(true);

            HttpResponse<String> trip = post(server, "/api/breakers/draftkings/trip", "{\"reason\": \"maintenance\"}");
            JsonNode body = JSON.readTree(trip.body());

            assertThat(trip.statusCode()).isEqualTo(503);
            assertThat(body.get("error").asText()).isEqualTo("STORE_UNAVAILABLE");
            assertThat(body.get("message").asText()).contains("Not done", "draftkings", "connection refused");
            assertThat(breakers.isTripped("draftkings")).isFalse();

            JsonNode health = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(health.get("status").asText()).isEqualTo("degraded");
            assertThat(health.at("/store/status").asText()).isEqualTo("down");
        }
    }

    @Test
    void aKeyWithAnInvisibleCharacterIsRefusedWith400() throws Exception {
        try (CircuitBreakerRegistry breakers = Fixtures.registry();
             AdminServer server = AdminServer.builder(breakers).port(0).tokensFile(Fixtures.tokens(dir)).start()) {
            HttpResponse<String> trip = post(server, "/api/breakers/draft%E2%80%8Bkings/trip", "{\"reason\": \"x\"}");

            assertThat(trip.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(trip.body()).get("error").asText()).isEqualTo("INVALID_KEY");
            assertThat(JSON.readTree(trip.body()).get("message").asText()).contains("U+200B");
            assertThat(breakers.breakers()).isEmpty();
        }
    }

    private HttpResponse<String> post(AdminServer server, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + Fixtures.ALICE)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
