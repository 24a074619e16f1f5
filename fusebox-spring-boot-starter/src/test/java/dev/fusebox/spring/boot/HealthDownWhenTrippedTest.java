package dev.fusebox.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.spring.boot.app.BookmakerTestApplication;
import dev.fusebox.spring.boot.support.Http;
import dev.fusebox.spring.boot.support.RunningApp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** {@code fusebox.health.down-when-tripped=true}: a tripped breaker takes the application DOWN. */
@SpringBootTest(classes = BookmakerTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "fusebox.health.down-when-tripped=true")
class HealthDownWhenTrippedTest extends RunningApp {

    @Test
    void isUpUntilABreakerTripsThenDown() {
        registry.breaker("draftkings");
        assertThat(http.get("/actuator/health").status()).isEqualTo(200);

        registry.trip("draftkings", "maintenance", "alice");
        Http.Answer overall = http.get("/actuator/health");

        assertThat(overall.status()).isEqualTo(503);
        assertThat(overall.json().get("status").asText()).isEqualTo("DOWN");
        assertThat(overall.json().at("/components/fusebox/status").asText()).isEqualTo("DOWN");
    }
}
