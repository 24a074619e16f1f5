package dev.fusebox.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fusebox.JsonCodec;
import dev.fusebox.spring.boot.app.BookmakerTestApplication;
import dev.fusebox.spring.boot.support.Http;
import dev.fusebox.spring.boot.support.RunningApp;
import dev.fusebox.spring.boot.support.Schemas;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * {@code /actuator/fusebox} over real HTTP, without Spring Security on the class path: the
 * principal is the servlet request's (here set by a filter, as container authentication would).
 */
@SpringBootTest(classes = BookmakerTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EndpointTest extends RunningApp {

    private static final String[] CAROL = {"X-Operator", "carol"};

    @Test
    void listsEveryBreakerInTheAdminApisJson() throws Exception {
        registry.breaker("fanduel");
        registry.trip("draftkings", "maintenance", "alice");

        Http.Answer answer = http.get("/actuator/fusebox");

        assertThat(answer.status()).isEqualTo(200);
        JsonNode expected = Http.tree(registry.statusAll().stream().map(JsonCodec::status).toList());
        assertThat(answer.json()).isEqualTo(expected);
        assertThat(answer.json().get(0).get("bookmaker").asText()).isEqualTo("draftkings");
        for (JsonNode status : answer.json()) {
            assertThat(Schemas.problems("breaker-status.schema.json", status)).isEmpty();
        }
    }

    @Test
    void showsOneBreakerWithEveryFieldNullsIncluded() {
        registry.breaker("draftkings");

        Http.Answer answer = http.get("/actuator/fusebox/draftkings");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(Http.tree(JsonCodec.status(registry.breaker("draftkings").status())));
        assertThat(answer.json().has("trippedBy")).as("absent values are null, not left out").isTrue();
        assertThat(answer.json().get("trippedBy").isNull()).isTrue();
        assertThat(Schemas.problems("breaker-status.schema.json", answer.json())).isEmpty();
    }

    @Test
    void anUnknownBreakerIsA404InTheAdminApisErrorShape() {
        Http.Answer answer = http.get("/actuator/fusebox/nobody");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().get("error").asText()).isEqualTo("UNKNOWN_BREAKER");
        assertThat(registry.find("nobody")).as("reading never creates a breaker").isEmpty();
    }

    @Test
    void tripsUnderThePrincipalsNameAndAuditsIt() {
        Http.Answer answer = http.post("/actuator/fusebox/draftkings/trip", "{\"reason\": \"odds feed stale\"}", CAROL);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(Schemas.problems("action-result.schema.json", answer.json())).isEmpty();
        assertThat(answer.json().at("/breaker/tripped").asBoolean()).isTrue();
        assertThat(answer.json().at("/audit/user").asText()).isEqualTo("carol");
        assertThat(registry.isTripped("draftkings")).isTrue();
        assertThat(registry.breaker("draftkings").status().trippedBy()).isEqualTo("carol");

        Http.Answer audit = http.get("/actuator/fusebox/draftkings/audit");
        assertThat(audit.status()).isEqualTo(200);
        assertThat(audit.json().get(0).get("action").asText()).isEqualTo("TRIP");
        assertThat(audit.json().get(0).get("reason").asText()).isEqualTo("odds feed stale");
        assertThat(Schemas.problems("audit-record.schema.json", audit.json().get(0))).isEmpty();
    }

    @Test
    void theAuditTrailOfABreakerNoLongerInMemoryIsReadFromTheStore() {
        registry.trip("betmgm", "incident", "alice");
        registry.breaker("betmgm").reset("fixed", "alice", true);
        registry.remove("betmgm"); // as the idle sweep does, or a restart before the breaker is used again

        Http.Answer audit = http.get("/actuator/fusebox/betmgm/audit");

        assertThat(audit.status()).isEqualTo(200);
        assertThat(audit.json().findValuesAsText("action")).containsExactly("FORCED_RESET", "TRIP");
        assertThat(registry.find("betmgm")).as("reading never creates a breaker").isEmpty();
    }

    @Test
    void theAuditTrailOfAKeyNeverSeenIsA404() {
        Http.Answer audit = http.get("/actuator/fusebox/nobody/audit");

        assertThat(audit.status()).isEqualTo(404);
        assertThat(audit.json().get("error").asText()).isEqualTo("UNKNOWN_BREAKER");
    }

    @Test
    void aWriteWithoutAPrincipalIsRefusedAndChangesNothing() {
        registry.breaker("draftkings");

        Http.Answer answer = http.post("/actuator/fusebox/draftkings/trip", "{\"reason\": \"who am I\"}");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.json().get("error").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(registry.isTripped("draftkings")).isFalse();
    }

    @Test
    void deniesAResetInsideTheCooldownThenResetsOnceItHasPassed() {
        registry.trip("draftkings", "incident", "alice");

        Http.Answer denied = http.post("/actuator/fusebox/draftkings/reset", "{\"reason\": \"fixed\"}", CAROL);
        assertThat(denied.status()).isEqualTo(409);
        assertThat(denied.json().get("error").asText()).isEqualTo("RESET_DENIED");
        assertThat(denied.json().get("retryAfterMs").asLong()).isEqualTo(60_000);
        assertThat(registry.isTripped("draftkings")).isTrue();

        clock.advance(Duration.ofSeconds(61));
        Http.Answer reset = http.post("/actuator/fusebox/draftkings/reset", "{\"reason\": \"fixed\"}", CAROL);

        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.json().at("/audit/action").asText()).isEqualTo("RESET");
        assertThat(registry.isTripped("draftkings")).isFalse();
    }

    @Test
    void forcesAResetInsideTheCooldown() {
        registry.trip("draftkings", "incident", "alice");

        Http.Answer reset = http.post("/actuator/fusebox/draftkings/reset", "{\"reason\": \"fixed\", \"force\": true}",
                CAROL);

        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.json().at("/audit/action").asText()).isEqualTo("FORCED_RESET");
        assertThat(registry.isTripped("draftkings")).isFalse();
    }

    @Test
    void aWriteWithoutAReasonIsRefused() {
        Http.Answer answer = http.post("/actuator/fusebox/draftkings/trip", "{}", CAROL);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).isEqualTo("MISSING_REASON");
        assertThat(registry.isTripped("draftkings")).isFalse();
    }

    @Test
    void aReasonThatDoesNotPrintAsItselfIsRefused() {
        Http.Answer answer = http.post("/actuator/fusebox/draftkings/trip", "{\"reason\": \"ok \\u202egnp.exe\"}", CAROL);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).isEqualTo("INVALID_REASON");
        assertThat(registry.isTripped("draftkings")).isFalse();
    }
}
