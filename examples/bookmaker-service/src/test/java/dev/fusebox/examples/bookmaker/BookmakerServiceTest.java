package dev.fusebox.examples.bookmaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** The example as its README uses it: an outage, the breaker, the fallback, an operator's reset. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"fusebox.store.type=memory", "fusebox.defaults.reset-cooldown=0s"})
class BookmakerServiceTest {

    @Value("${local.server.port}")
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anOutageTripsDraftKingsAndTheCachedMarketsAnswerUntilAnOperatorResets() throws Exception {
        assertThat(get("/markets/draftkings").body()).contains("\"source\":\"live\"");
        send("POST", "/simulated/draftkings/outage", null, null);
        for (int i = 0; i < 10; i++) {
            assertThat(get("/markets/draftkings").statusCode()).isEqualTo(502);
        }

        HttpResponse<String> tripped = get("/markets/draftkings");
        assertThat(tripped.statusCode()).isEqualTo(200);
        assertThat(tripped.body()).contains("\"source\":\"cache\"", "draftkings: NFL moneyline");
        assertThat(get("/actuator/health/fusebox").body()).contains("\"status\":\"UP\"", "\"tripped\":[\"draftkings\"]");

        send("DELETE", "/simulated/draftkings/outage", null, null);
        assertThat(send("POST", "/actuator/fusebox/draftkings/reset", "{\"reason\": \"fixed\"}", null).statusCode())
                .as("operators sign in").isEqualTo(401);
        HttpResponse<String> reset = send("POST", "/actuator/fusebox/draftkings/reset", "{\"reason\": \"fixed\"}",
                "ops:change-me");
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(reset.body()).contains("\"user\":\"ops\"");
        assertThat(get("/markets/draftkings").body()).contains("\"source\":\"live\"");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null, null);
    }

    private HttpResponse<String> send(String method, String path, String json, String credentials) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (credentials != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
