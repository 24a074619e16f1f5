package dev.fusebox.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fusebox.spring.boot.app.BookmakerTestApplication;
import dev.fusebox.spring.boot.app.MarketsClient;
import dev.fusebox.spring.boot.support.Http;
import dev.fusebox.spring.boot.support.RunningApp;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The health indicator and the meters of a running application, over HTTP. Meters are read through
 * the Actuator metrics endpoint: tests run with Spring Boot's in-memory registry only.
 */
@SpringBootTest(classes = BookmakerTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HealthAndMetricsTest extends RunningApp {

    @Autowired
    MarketsClient client;

    @Test
    void aTrippedBreakerIsReportedButLeavesTheApplicationUp() {
        registry.breaker("fanduel");
        registry.trip("draftkings", "maintenance", "alice");

        Http.Answer fusebox = http.get("/actuator/health/fusebox");
        Http.Answer overall = http.get("/actuator/health");

        assertThat(fusebox.status()).isEqualTo(200);
        JsonNode json = fusebox.json();
        assertThat(json.get("status").asText()).isEqualTo("UP");
        assertThat(json.at("/details/tripped").toString()).isEqualTo("[\"draftkings\"]");
        assertThat(json.at("/details/breakers/draftkings/state").asText()).isEqualTo("OPEN");
        assertThat(json.at("/details/breakers/fanduel/state").asText()).isEqualTo("CLOSED");
        assertThat(json.at("/details/store/status").asText()).isEqualTo("up");
        assertThat(overall.status()).as("a load balancer keeps sending traffic").isEqualTo(200);
        assertThat(overall.json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void publishesTheBreakersMetersUnderTheClassicNames() throws Exception {
        registry.trip("draftkings", "maintenance", "alice");
        client.markets("nfl"); // refused: counted under its operation

        assertThat(meter("circuit_breaker_tripped?tag=bookmaker:draftkings")).isEqualTo(1.0);
        assertThat(meter("circuit_breaker_state?tag=bookmaker:draftkings")).isEqualTo(1.0);
        assertThat(meter("circuit_breaker_rejected?tag=bookmaker:draftkings&tag=operation:deepProbe&tag=reason:tripped"))
                .isEqualTo(1.0);
        assertThat(meter("circuit_breaker_tripped?tag=bookmaker:fanduel")).as("no such breaker").isNaN();
    }

    /** The meter's first measurement, through the Actuator metrics endpoint; NaN when there is no such meter. */
    private double meter(String query) {
        Http.Answer answer = http.get("/actuator/metrics/" + query);
        return answer.status() == 404 ? Double.NaN : answer.json().at("/measurements/0/value").asDouble();
    }
}
