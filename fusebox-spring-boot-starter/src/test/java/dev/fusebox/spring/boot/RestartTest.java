package dev.fusebox.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.spring.boot.app.BookmakerTestApplication;
import dev.fusebox.spring.boot.app.MarketsClient;
import dev.fusebox.spring.boot.support.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A tripped breaker is still tripped after the application restarts over the same SQLite file. */
class RestartTest {

    @TempDir
    Path dir;

    @Test
    void aBreakerTrippedOverHttpIsStillTrippedAfterARestart() throws Exception {
        Path file = dir.resolve("state/circuit_breaker.db");

        try (ConfigurableApplicationContext first = start(file)) {
            Http http = new Http(port(first));
            Http.Answer trip = http.post("/actuator/fusebox/draftkings/trip", "{\"reason\": \"odds feed stale\"}",
                    "X-Operator", "carol");
            assertThat(trip.status()).isEqualTo(200);
            assertThat(trip.json().get("durable").asBoolean()).as("a SQLite file survives a restart").isTrue();
        }
        assertThat(Files.size(file)).isPositive();

        try (ConfigurableApplicationContext second = start(file)) {
            Http http = new Http(port(second));
            Http.Answer status = http.get("/actuator/fusebox/draftkings");

            assertThat(status.status()).isEqualTo(200);
            assertThat(status.json().get("tripped").asBoolean()).isTrue();
            assertThat(status.json().get("trippedBy").asText()).isEqualTo("carol");
            assertThat(status.json().get("tripReason").asText()).isEqualTo("odds feed stale");
            assertThat(second.getBean(MarketsClient.class).markets("nfl")).as("the fallback, not the upstream")
                    .isEqualTo("cached nfl (CIRCUIT_OPEN)");
            assertThat(http.get("/actuator/fusebox/draftkings/audit").json().get(0).get("user").asText())
                    .isEqualTo("carol");
        }
    }

    private static ConfigurableApplicationContext start(Path file) {
        // Arguments, not default properties: those would give way to the tests' application.properties.
        return new SpringApplicationBuilder(BookmakerTestApplication.class)
                .run("--server.port=0", "--fusebox.store.type=sqlite", "--fusebox.store.sqlite-file=" + file);
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}
