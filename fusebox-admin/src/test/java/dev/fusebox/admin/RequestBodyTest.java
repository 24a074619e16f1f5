package dev.fusebox.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusebox.CircuitBreakerRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trip and reset bodies are read with exact types, and no error answer speaks Java. */
class RequestBodyTest {

    /** A qualified Java name, or an exception's name: what an error body must never show. */
    private static final Pattern JAVA_NAME = Pattern.compile("\\b(java|javax|jdk|sun|com|org|dev|io)\\.[a-z]+\\.|Exception\\b");

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();
    private TestServer running;
    private CircuitBreakerRegistry breakers;

    @BeforeEach
    void start() throws Exception {
        running = new TestServer(dir);
        breakers = running.breakers;
    }

    @AfterEach
    void stop() {
        running.close();
    }

    @Test
    void forceMustBeAJsonBoolean() throws Exception {
        breakers.trip("k", "maintenance", "alice");
        running.clock.advance(Duration.ofSeconds(30)); // inside the cooldown: only a forced reset would pass

        for (String force : new String[] {"\"true\"", "1", "\"yes\"", "0", "\"\"", "[true]", "{}"}) {
            RawHttp.Reply r = post("/api/breakers/k/reset", "{\"reason\": \"r\", \"force\": " + force + "}");

            expect(r, 400, "MALFORMED_JSON", "force must be a JSON boolean: true or false");
        }
        assertThat(breakers.isTripped("k")).isTrue();
    }

    @Test
    void reasonMustBeAJsonString() throws Exception {
        for (String reason : new String[] {"123", "true", "1.5", "[\"a\"]", "{\"text\": \"a\"}"}) {
            RawHttp.Reply r = post("/api/breakers/k/trip", "{\"reason\": " + reason + "}");

            expect(r, 400, "MALFORMED_JSON", "reason must be a JSON string");
        }
        assertThat(breakers.find("k")).isEmpty();
    }

    @Test
    void aFieldGivenTwiceIsRefused() throws Exception {
        breakers.trip("k", "maintenance", "alice");

        RawHttp.Reply reasons = post("/api/breakers/k/trip", "{\"reason\": \"a\", \"reason\": \"b\"}");
        RawHttp.Reply forces = post("/api/breakers/k/reset", "{\"reason\": \"a\", \"force\": false, \"force\": true}");

        expect(reasons, 400, "MALFORMED_JSON", "field 'reason' is given more than once");
        expect(forces, 400, "MALFORMED_JSON", "field 'force' is given more than once");
        assertThat(breakers.isTripped("k")).isTrue();
        assertThat(breakers.audit("k", 10)).hasSize(1);
    }

    @Test
    void noErrorAnswerNamesAJavaClass() throws Exception {
        breakers.breaker("k");
        List<RawHttp.Reply> replies = new ArrayList<>();
        for (String body : new String[] {"{\"reason\": \"a\", \"force\": \"yes\"}", "{\"reason\": 123}", "{\"reason\": {}}",
                "{\"reason\": \"a\", \"reason\": \"b\"}", "[1, 2]", "\"text\"", "null", "{\"reason\": ", "{{{{",
                "{\"reason\": \"a\"} trailing", "{\"reason\": \"a\", \"user\": \"mallory\"}", "{\"force\": true}", "",
                "\u0000\u0001", "{\"reason\": \"\\u0000\"}", "[".repeat(2000), "{\"reason\": \"" + "x".repeat(17_000) + "\"}",
                "{\"reason\": \"a\", \"force\": 1e999}", "{\"reason\": \"\\ud800\"}", "\u00ff\u00fe{}"}) {
            replies.add(post("/api/breakers/k/trip", body));
            replies.add(post("/api/breakers/k/reset", body));
        }
        for (String path : new String[] {"/api/breakers/%zz/trip", "/api/breakers/bad%C3%28key", "/%%%",
                "/api/breakers/k/audit?limit=abc", "/api/breakers/k/audit?limit=%zz", "/api/nothing",
                "/api/breakers/" + "k".repeat(201), "/api/breakers/a/../../b", "/api/breakers/%2e%2e/x"}) {
            replies.add(RawHttp.request(running.port(), "GET", path, null, ""));
        }
        replies.add(RawHttp.request(running.port(), "DELETE", "/health", null, ""));
        replies.add(RawHttp.request(running.port(), "POST", "/api/breakers/k/trip", "not-a-valid-token-xxxx", "{}"));
        for (String raw : new String[] {"NOT A REQUEST\r\n\r\n", "GET /health HTTP/1.1\r\nHost: x\r\nno colon\r\n\r\n",
                "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n",
                "GET /" + "u".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST /api/breakers/k/trip HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n",
                "POST /api/breakers/k/trip HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcdef",
                "GET /health HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", "GET /health HTTP/9.9\r\nHost: x\r\n\r\n",
                "GET /health\u0001 HTTP/1.1\r\nHost: x\r\n\r\n", "GET /health HTTP/1.1\r\nHost: evil.example\r\n\r\n"}) {
            replies.add(RawHttp.send(RawHttp.LOOPBACK, running.port(), raw, Duration.ofSeconds(10)));
        }

        assertThat(replies).allSatisfy(r -> {
            assertThat(r.status()).as(r.body()).isBetween(400, 599);
            assertThat(json.readTree(r.body()).get("error").asText()).as(r.body()).isNotBlank();
            assertThat(JAVA_NAME.matcher(r.body()).find()).as(r.body()).isFalse();
        });
    }

    private RawHttp.Reply post(String path, String body) throws Exception {
        return RawHttp.request(running.port(), "POST", path, Fixtures.ALICE, body);
    }

    private void expect(RawHttp.Reply r, int status, String code, String message) throws Exception {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("error").asText()).as(r.body()).isEqualTo(code);
        assertThat(body.get("message").asText()).isEqualTo(message);
    }
}
