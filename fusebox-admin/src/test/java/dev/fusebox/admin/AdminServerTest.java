package dev.fusebox.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.spi.AuditAction;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.testing.Calls;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API over real HTTP on loopback. */
class AdminServerTest {

    private static final String ALICE = Fixtures.ALICE;
    private static final String BOB = Fixtures.BOB;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private final CircuitBreakerRegistry breakers = Registries.manual(clock, new TestLoad()).build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();
    private AdminServer server;

    @BeforeEach
    void start() throws Exception {
        server = AdminServer.builder(breakers).port(0).tokensFile(Fixtures.tokens(dir)).start();
    }

    @AfterEach
    void stop() {
        server.close();
        breakers.close();
    }

    @Test
    void bindsToLoopbackByDefault() {
        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void reportsATakenPortAsABindException() {
        assertThatThrownBy(() -> AdminServer.builder(breakers).port(server.port()).tokensFile(dir.resolve("tokens"))
                .start()).isInstanceOf(java.net.BindException.class);
        assertThatThrownBy(() -> AdminServer.builder(breakers).idleTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeout");
    }

    @Test
    void servesHealthWithEveryBreaker() throws Exception {
        breakers.breaker("fanduel");
        JsonNode healthy = body(get("/health"));
        assertThat(healthy.get("status").asText()).isEqualTo("healthy");
        assertThat(healthy.at("/circuits/fanduel/state").asText()).isEqualTo("CLOSED");

        Calls.failTimes(breakers.breaker("draftkings"), 10);
        JsonNode degraded = body(get("/health"));

        assertThat(degraded.get("status").asText()).isEqualTo("degraded");
        assertThat(degraded.at("/circuits/draftkings/state").asText()).isEqualTo("OPEN");
        assertThat(degraded.at("/circuits/draftkings/failures").asDouble()).isEqualTo(10.0);
        assertThat(degraded.at("/circuits/draftkings/failureRate").isNumber()).isTrue();
        assertThat(degraded.at("/services/circuitBreakers/draftkings").asText()).isEqualTo("OPEN");
        assertThat(degraded.at("/store/status").asText()).isEqualTo("up");
    }

    @Test
    void healthSaysHowFullTheRegistryIsAndDegradesWhileCallsRunWithoutABreaker() throws Exception {
        try (CircuitBreakerRegistry full = Registries.manual(clock, new TestLoad())
                .defaultConfig(dev.fusebox.BreakerConfig.builder().failureThreshold(1).build()).maxBreakers(1).build();
             AdminServer fullServer = AdminServer.builder(full).port(0).tokensFile(Fixtures.tokens(dir)).start()) {
            try {
                full.call("a", () -> {
                    throw new IllegalStateException("upstream 500");
                }, Calls.TEST);
            } catch (IllegalStateException tripped) {
                // "a" is tripped: it may not go
            }
            full.call("b", () -> "ran without a breaker", Calls.TEST);
            JsonNode health = json.readTree(http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + fullServer.port() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());

            assertThat(health.get("status").asText()).isEqualTo("degraded");
            assertThat(health.at("/registry/breakers").asInt()).isEqualTo(1);
            assertThat(health.at("/registry/maxBreakers").asInt()).isEqualTo(1);
            assertThat(health.at("/registry/overflowCalls").asLong()).isEqualTo(1);
            assertThat(health.at("/registry/overflowing").asBoolean()).isTrue();

            clock.advance(Duration.ofMinutes(2));
            full.reset("a", "fixed", "alice", true);
            JsonNode later = json.readTree(http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + fullServer.port() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(later.get("status").asText()).as("a minute after the last call without a breaker")
                    .isEqualTo("healthy");
        }
    }

    @Test
    void servesPrometheusTextOnBothMetricsPaths() throws Exception {
        breakers.trip("draftkings", "maintenance", "alice");

        for (String path : new String[] {"/metrics", "/api/metrics"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            assertThat(r.body()).contains("circuit_breaker_tripped{bookmaker=\"draftkings\"} 1");
        }
    }

    @Test
    void listsAndShowsBreakersAnd404sUnknownOnes() throws Exception {
        breakers.trip("draftkings", "maintenance", "alice");

        JsonNode all = body(get("/api/breakers"));
        JsonNode one = body(get("/api/breakers/draftkings"));
        HttpResponse<String> unknown = get("/api/breakers/nobody");

        assertThat(all).hasSize(1);
        assertThat(one.get("bookmaker").asText()).isEqualTo("draftkings");
        assertThat(one.get("tripped").asBoolean()).isTrue();
        assertThat(one.get("trippedBy").asText()).isEqualTo("alice");
        assertThat(one.at("/counters/rejections").asLong()).isZero();
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(body(unknown).get("error").asText()).isEqualTo("UNKNOWN_BREAKER");
        assertThat(get("/api/breakers/nobody/audit").statusCode()).isEqualTo(404);
    }

    @Test
    void theAuditOfABreakerNoLongerInMemoryIsStillAnswered() throws Exception {
        breakers.trip("fanduel", "maintenance", "alice");
        breakers.reset("fanduel", "done", "alice", true);
        assertThat(breakers.remove("fanduel")).isTrue();

        HttpResponse<String> audit = get("/api/breakers/fanduel/audit");

        assertThat(audit.statusCode()).isEqualTo(200);
        assertThat(body(audit)).extracting(r -> r.get("action").asText()).containsExactly("FORCED_RESET", "TRIP");
        assertThat(get("/api/breakers/fanduel").statusCode()).as("the breaker itself is gone").isEqualTo(404);
    }

    @Test
    void tripAndResetRecordTheTokensUser() throws Exception {
        HttpResponse<String> trip = post("/api/breakers/draftkings/trip", ALICE, "{\"reason\": \"maintenance\"}");
        clock.advance(Duration.ofSeconds(61));
        HttpResponse<String> reset = post("/api/breakers/draftkings/reset", BOB,
                "{\"reason\": \"API team cleared incident\", \"force\": false}");

        assertThat(trip.statusCode()).isEqualTo(200);
        assertThat(body(trip).at("/breaker/tripped").asBoolean()).isTrue();
        assertThat(body(trip).get("durable").asBoolean()).as("the in-memory store does not survive a restart")
                .isFalse();
        assertThat(body(trip).at("/audit/user").asText()).isEqualTo("alice");
        assertThat(body(trip).at("/audit/id").asLong()).isPositive();
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(breakers.audit("draftkings", 10)).extracting(AuditRecord::action, AuditRecord::user)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditAction.RESET, "bob"),
                        org.assertj.core.groups.Tuple.tuple(AuditAction.TRIP, "alice"));
        assertThat(body(get("/api/audit"))).hasSize(2);
        JsonNode audit = body(get("/api/breakers/draftkings/audit?limit=1"));
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0).get("user").asText()).isEqualTo("bob");
    }

    @Test
    void refusesMutationsWithoutAValidTokenAndChangesNothing() throws Exception {
        HttpResponse<String> none = post("/api/breakers/draftkings/trip", null, "{\"reason\": \"x\"}");
        HttpResponse<String> wrong = post("/api/breakers/draftkings/trip", "not-a-token-at-all-xx", "{\"reason\": \"x\"}");
        HttpResponse<String> userInBody = post("/api/breakers/draftkings/trip", ALICE,
                "{\"reason\": \"x\", \"user\": \"mallory\"}");

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(userInBody.statusCode()).isEqualTo(400);
        assertThat(body(userInBody).get("error").asText()).isEqualTo("UNKNOWN_FIELD");
        assertThat(breakers.find("draftkings")).isEmpty();
        assertThat(breakers.audit(null, 10)).isEmpty();
    }

    @Test
    void answersACooldownDenialWith409AndTheTimeRemaining() throws Exception {
        post("/api/breakers/fanduel/trip", ALICE, "{\"reason\": \"t\"}");
        clock.advance(Duration.ofSeconds(30));

        HttpResponse<String> denied = post("/api/breakers/fanduel/reset", BOB, "{\"reason\": \"r\"}");
        HttpResponse<String> forced = post("/api/breakers/fanduel/reset", BOB, "{\"reason\": \"r\", \"force\": true}");

        assertThat(denied.statusCode()).isEqualTo(409);
        assertThat(body(denied).get("error").asText()).isEqualTo("RESET_DENIED");
        assertThat(body(denied).get("retryAfterMs").asLong()).isEqualTo(30_000);
        assertThat(forced.statusCode()).isEqualTo(200);
        assertThat(breakers.isTripped("fanduel")).isFalse();
    }

    @Test
    void answersBadInputWithAClearJsonErrorAndChangesNothing() throws Exception {
        expectError(post("/api/breakers/k/trip", ALICE, "{\"reason\": "), 400, "MALFORMED_JSON");
        expectError(post("/api/breakers/k/trip", ALICE, "[1, 2]"), 400, "MALFORMED_JSON");
        expectError(post("/api/breakers/k/trip", ALICE, "{\"reason\": \"a\"} trailing"), 400, "MALFORMED_JSON");
        expectError(post("/api/breakers/k/trip", ALICE, ""), 400, "BAD_REQUEST");
        expectError(post("/api/breakers/k/trip", ALICE, "{\"force\": true}"), 400, "MISSING_REASON");
        expectError(post("/api/breakers/k/trip", ALICE, "{\"reason\": \"" + "x".repeat(1001) + "\"}"), 400,
                "INVALID_REASON");
        expectError(post("/api/breakers/k/trip", ALICE, "{\"reason\": \"a\", \"force\": \"yes\"}"), 400,
                "MALFORMED_JSON");
        expectError(post("/api/breakers/k/trip", ALICE, "{\"reason\": \"" + "x".repeat(17_000) + "\"}"), 413,
                "BODY_TOO_LARGE");
        expectError(post("/api/breakers/" + "k".repeat(201) + "/trip", ALICE, "{\"reason\": \"a\"}"), 400,
                "INVALID_KEY");
        expectError(post("/api/breakers/bad%0Akey/trip", ALICE, "{\"reason\": \"a\"}"), 400, "INVALID_KEY");
        expectError(post("/api/breakers/%2E%2E/trip", ALICE, "{\"reason\": \"a\"}"), 400, "INVALID_KEY");
        expectError(post("/api/breakers/k/trip", ALICE, "{\"reason\": \"\\u200b\"}"), 400, "INVALID_REASON");
        expectError(post("/api/breakers/k/trip", ALICE, "{\"reason\": \"ok \\u202egnp.exe\"}"), 400,
                "INVALID_REASON");
        // An unparsable URI is refused by Jetty before the API sees it, with the same JSON error.
        expectRawError(raw("POST", "/api/breakers/bad%zzkey/trip", ALICE, "{\"reason\": \"a\"}"), 400, "BAD_REQUEST");
        expectError(post("/api/breakers/bad%C3%28key/trip", ALICE, "{\"reason\": \"a\"}"), 400, "BAD_REQUEST");
        expectError(get("/api/breakers/k/trip"), 405, "METHOD_NOT_ALLOWED");
        expectError(get("/api/nothing"), 404, "NOT_FOUND");
        expectError(get("/api/breakers/k/audit?limit=0"), 400, "BAD_REQUEST");

        assertThat(breakers.breakers()).isEmpty();
        assertThat(breakers.audit(null, 10)).isEmpty();
    }

    @Test
    void noRequestMakesItAnswer500OrStopServing() throws Exception {
        breakers.breaker("draftkings");
        Random random = new Random(42);
        String[] methods = {"GET", "POST", "PUT", "DELETE", "PATCH"};
        String[] paths = {"/", "/health", "/metrics", "/api/breakers", "/api/breakers/draftkings",
                "/api/breakers/draftkings/trip", "/api/breakers/draftkings/reset", "/api/breakers/draftkings/audit",
                "/api/breakers/%F0%28%8C%28", "/api/breakers//trip", "/api/breakers/a/b/c/d",
                "/api/breakers/draftkings/audit?limit=abc", "/api/breakers/draftkings/audit?limit=%E2%82",
                "/api/breakers/draftkings/audit?limit=%zz", "/api/breakers/%zz/trip", "/%%%"};
        String[] bodies = {"", "{}", "null", "{\"reason\":null}", "{\"reason\":123}", "{\"reason\":\"x\",\"force\":null}",
                "\u0000\u0001", "{\"reason\":\"\\u0000\"}", "{{{{", "\"just a string\""};
        for (int i = 0; i < 300; i++) {
            String method = methods[random.nextInt(methods.length)];
            String path = paths[random.nextInt(paths.length)];
            String body = bodies[random.nextInt(bodies.length)];
            RawHttp.Reply r;
            try {
                r = raw(method, path, random.nextBoolean() ? ALICE : null, body);
            } catch (java.io.IOException e) {
                throw new AssertionError(method + " " + path + " " + body, e);
            }
            assertThat(r.status()).as("%s %s %s", method, path, body).isBetween(200, 499);
            if (r.status() >= 400) {
                assertThat(json.readTree(r.body()).get("error").asText()).as("%s %s %s", method, path, body).isNotBlank();
            }
        }
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void keysMayContainEncodedSlashesAndPercentSigns() throws Exception {
        assertThat(post("/api/breakers/eu%2Ffanduel%2550/trip", ALICE, "{\"reason\": \"a\"}").statusCode()).isEqualTo(200);

        assertThat(breakers.breaker("eu/fanduel%50").status().tripped()).isTrue();
        assertThat(body(get("/api/breakers/eu%2Ffanduel%2550")).get("bookmaker").asText()).isEqualTo("eu/fanduel%50");
    }

    @Test
    void answersATripThatWaitsForTheStoreLongerThanTheIdleTimeout() throws Exception {
        HangingStore slow = new HangingStore();
        try (CircuitBreakerRegistry durable = Registries.manual(clock, new TestLoad()).store(slow).build();
             AdminServer small = AdminServer.builder(durable).port(0).tokensFile(dir.resolve("tokens"))
                     .idleTimeout(Duration.ofMillis(200)).start()) {
            CompletableFuture<HttpResponse<String>> reply = http.sendAsync(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + small.port() + "/api/breakers/k/trip"))
                    .header("Authorization", "Bearer " + ALICE)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"slow store\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(slow.awaitEntered()).isTrue();
            // Real time must pass on the socket: Jetty's idle timer runs on the wall clock, which a
            // test cannot drive. Five idle timeouts; a slower machine only makes the wait longer.
            Thread.sleep(1000);
            slow.recover();

            HttpResponse<String> r = reply.get(30, TimeUnit.SECONDS);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(durable.audit("k", 10)).singleElement().extracting(AuditRecord::user).isEqualTo("alice");
        }
    }

    @Test
    void answersRequestsTheHttpLayerRefusesWithTheSameJsonErrors() throws Exception {
        for (String path : new String[] {"/api/breakers/%", "/api/breakers/%zz/trip", "/%%%"}) {
            expectRawError(raw("POST", path, ALICE, "{\"reason\": \"a\"}"), 400, "BAD_REQUEST");
        }
        expectRawError(raw("GET", "/api/breakers/k/audit?limit=%zz", null, ""), 400, "BAD_REQUEST");
        expectRawError(rawText("GET /health HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n"), 400, "BAD_REQUEST");
        expectRawError(rawText("NOT A REQUEST\r\n\r\n"), 505, "HTTP_VERSION_NOT_SUPPORTED");
        expectRawError(rawText("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"), 431,
                "HEADERS_TOO_LARGE");

        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(breakers.breakers()).isEmpty();
    }

    @Test
    void stalledClientsHoldNoThreadAndAreDroppedAfterTheIdleTimeout() throws Exception {
        Path tokens = dir.resolve("tokens");
        try (AdminServer small = AdminServer.builder(breakers).port(0).tokensFile(tokens).threads(1)
                .idleTimeout(Duration.ofMillis(300)).start()) {
            java.util.List<java.net.Socket> stalled = new java.util.ArrayList<>();
            try {
                // More stalled clients than the server has threads of any kind: half a header, half a body.
                for (int i = 0; i < 24; i++) {
                    java.net.Socket s = new java.net.Socket("127.0.0.1", small.port());
                    s.setSoTimeout(10_000);
                    String partial = i % 2 == 0 ? "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            : "POST /api/breakers/k/trip HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ALICE
                                    + "\r\nContent-Length: 100\r\n\r\n{\"reason\":";
                    s.getOutputStream().write(partial.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    stalled.add(s);
                }

                HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + small.port() + "/health")).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);

                for (java.net.Socket s : stalled) {
                    // The server closes the silent connection (perhaps after a 408): the read ends, not times out.
                    byte[] rest = s.getInputStream().readAllBytes();
                    String answer = new String(rest, java.nio.charset.StandardCharsets.US_ASCII);
                    assertThat(answer).satisfiesAnyOf(a -> assertThat(a).isEmpty(),
                            a -> assertThat(a).startsWith("HTTP/1.1 408").doesNotContain("HTTP/1.1 200"));
                }
            } finally {
                for (java.net.Socket s : stalled) {
                    s.close();
                }
            }
            assertThat(breakers.breakers()).isEmpty();
        }
    }

    @Test
    void createsAnOwnerOnlyTokenForAdminWhenNoneIsConfigured() throws Exception {
        Path generated = dir.resolve("generated/admin-tokens");
        try (AdminServer fresh = AdminServer.builder(breakers).port(0).tokensFile(generated).start()) {
            String line = Files.readAllLines(generated).stream().filter(l -> l.startsWith("admin:")).findFirst()
                    .orElseThrow();
            String token = line.substring("admin:".length());

            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + fresh.port() + "/api/breakers/k/trip"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"first use\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(generated))).isEqualTo("rw-------");
            assertThat(breakers.audit("k", 1)).singleElement().extracting(AuditRecord::user).isEqualTo("admin");
        }
    }

    @Test
    void refusesToStartWithAMalformedTokensFile() throws Exception {
        Path bad = Fixtures.ownerOnly(dir.resolve("bad-tokens"), "alice:" + ALICE + "\nbob-without-colon\n");
        Path shortToken = Fixtures.ownerOnly(dir.resolve("short-tokens"), "carol:short\n");

        assertThatThrownBy(() -> AdminServer.builder(breakers).port(0).tokensFile(bad).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
        assertThatThrownBy(() -> AdminServer.builder(breakers).port(0).tokensFile(shortToken).start())
                .hasMessageContaining("shorter than 16");
    }

    /** A request over a plain socket, so that paths the HTTP client refuses can be sent. */
    private RawHttp.Reply raw(String method, String path, String token, String body) throws Exception {
        return RawHttp.request(server.port(), method, path, token, body);
    }

    /** Raw bytes, for requests no HTTP client would send. */
    private RawHttp.Reply rawText(String request) throws Exception {
        return RawHttp.send(RawHttp.LOOPBACK, server.port(), request, Duration.ofSeconds(10));
    }

    private void expectRawError(RawHttp.Reply r, int status, String code) throws Exception {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("error").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).isNotBlank();
    }

    private void expectError(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = body(r);
        assertThat(body.get("error").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).isNotBlank();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode body(HttpResponse<String> r) throws Exception {
        return json.readTree(r.body());
    }
}
