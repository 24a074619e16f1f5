package dev.fusebox.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusebox.ResetDeniedException;
import dev.fusebox.testing.Calls;
import dev.fusebox.testing.Eventually;
import dev.fusebox.testing.LogCapture;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/events} over real HTTP on loopback, read as another tool would read it. */
class EventStreamTest {

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();
    private final List<AutoCloseable> open = new ArrayList<>();
    private TestServer running;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (running != null) {
            running.close();
        }
    }

    private TestServer start(java.util.function.UnaryOperator<AdminServer.Builder> settings) throws IOException {
        running = new TestServer(dir, settings);
        return running;
    }

    private EventReader events(String query) throws Exception {
        EventReader reader = new EventReader(running.port(), "/api/events" + query);
        open.add(reader);
        return reader;
    }

    @Test
    void beginsWithHelloAndSendsASummaryOfEveryActiveBreakerEverySecond() throws Exception {
        TestServer s = start(b -> b);
        Calls.failTimes(s.breakers.breaker("fanduel"), 3);
        s.breakers.breaker("idle");
        EventReader events = events("");

        assertThat(events.status()).isEqualTo(200);
        assertThat(events.response().headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        assertThat(events.response().headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode hello = events.next("hello").data();
        assertThat(events.names()).as("hello comes first").containsExactly("hello");
        assertThat(hello.get("summaries").asBoolean()).isTrue();
        assertThat(hello.get("historySeconds").asInt()).isEqualTo(900);
        JsonNode summary = events.next("summary").data();

        assertThat(summary.get("breakerCount").asInt()).isEqualTo(2);
        assertThat(summary.get("loadShedThreshold").asDouble()).isEqualTo(0.85);
        assertThat(summary.has("load")).isTrue();
        assertThat(summary.has("inFlightCalls")).isTrue();
        JsonNode fanduel = summary.get("breakers").get(0);
        assertThat(summary.get("breakers")).as("idle breakers are left out").hasSize(1);
        assertThat(fanduel.get("bookmaker").asText()).isEqualTo("fanduel");
        assertThat(fanduel.get("state").asText()).isEqualTo("CLOSED");
        assertThat(fanduel.get("failures").asDouble()).isEqualTo(3.0);
        assertThat(fanduel.get("failureThreshold").asDouble()).isEqualTo(10.0);
        assertThat(fanduel.at("/perSecond/calls").isInt()).isTrue();
        assertThat(fanduel.has("avgLatency")).isTrue();
    }

    @Test
    void sendsTripsResetsAndRefusedResetsAsTheyHappen() throws Exception {
        TestServer s = start(b -> b);
        s.breakers.breaker("fanduel");
        EventReader events = events("?summaries=false");
        events.next("hello");

        s.breakers.trip("fanduel", "maintenance", "alice");
        JsonNode state = events.next("state").data();
        JsonNode trip = events.next("trip").data();
        try {
            s.breakers.reset("fanduel", "too soon", "bob", false);
        } catch (ResetDeniedException expected) {
            // audited and published
        }
        JsonNode denied = events.next("reset-denied").data();
        s.clock.advance(Duration.ofSeconds(61));
        s.breakers.reset("fanduel", "fixed", "bob", false);
        JsonNode closed = events.next("state").data();
        JsonNode reset = events.next("reset").data();

        assertThat(state.get("bookmaker").asText()).isEqualTo("fanduel");
        assertThat(state.get("from").asText()).isEqualTo("CLOSED");
        assertThat(state.get("to").asText()).isEqualTo("OPEN");
        assertThat(state.get("cause").asText()).isEqualTo("OPERATOR_TRIP");
        assertThat(state.get("at").asLong()).isEqualTo(s.clock.instant().minusSeconds(61).toEpochMilli());
        assertThat(trip.get("user").asText()).isEqualTo("alice");
        assertThat(trip.get("reason").asText()).isEqualTo("maintenance");
        assertThat(trip.get("remote").asBoolean()).isFalse();
        assertThat(denied.get("user").asText()).isEqualTo("bob");
        assertThat(denied.get("retryAfterMs").asLong()).isEqualTo(60_000);
        assertThat(reset.get("forced").asBoolean()).isFalse();
        assertThat(reset.get("user").asText()).isEqualTo("bob");
        assertThat(closed.get("to").asText()).isEqualTo("CLOSED");
        assertThat(events.names()).doesNotContain("summary");
    }

    @Test
    void tellsOfBreakersAddedAndRemoved() throws Exception {
        start(b -> b);
        EventReader events = events("?summaries=false");
        events.next("hello");

        running.breakers.breaker("new-upstream");
        assertThat(events.next("breaker-added").data().get("bookmaker").asText()).isEqualTo("new-upstream");
        running.breakers.remove("new-upstream");
        assertThat(events.next("breaker-removed").data().get("bookmaker").asText()).isEqualTo("new-upstream");
    }

    @Test
    void aStreamOutlivesTheRequestTimeout() throws Exception {
        start(b -> b.requestTimeout(Duration.ofSeconds(1)));
        EventReader events = events("");

        for (int i = 0; i < 4; i++) {
            events.next("summary"); // four seconds: four request timeouts
        }
        assertThat(running.breakers.breaker("k").isTripped()).isFalse();
    }

    @Test
    void aQuietStreamOutlivesTheIdleTimeout() throws Exception {
        // 3 s: the stream that counts the seconds gets a summary every second, well inside it
        start(b -> b.idleTimeout(Duration.ofSeconds(3)));
        EventReader quiet = events("?summaries=false");
        quiet.next("hello");
        EventReader clock = events("");

        for (int i = 0; i < 7; i++) {
            clock.next("summary"); // seven seconds go by: two idle timeouts without a byte on the quiet one
        }
        running.breakers.trip("k", "still listening", "alice");

        assertThat(quiet.next("trip").data().get("bookmaker").asText()).isEqualTo("k");
    }

    @Test
    void streamsPastTheirBudgetAre503AndTheApiStillAnswers() throws Exception {
        start(b -> b.maxEventStreams(3).maxConnectionsPerClient(4)); // two streams per address
        events("").next("hello");
        events("").next("hello");

        String[] third = rawStream("127.0.0.1");
        JsonNode perAddress = json.readTree(third[1]);
        String[] fromTwo = rawStream("127.0.0.2");
        String[] fromThree = rawStream("127.0.0.3");

        assertThat(third[0]).startsWith("HTTP/1.1 503");
        assertThat(perAddress.get("error").asText()).isEqualTo("TOO_MANY_STREAMS");
        assertThat(perAddress.get("message").asText()).contains("this address already holds 2 event streams");
        assertThat(fromTwo[0]).as("another address has its own share").startsWith("HTTP/1.1 200");
        assertThat(fromThree[0]).startsWith("HTTP/1.1 503");
        assertThat(fromThree[1]).contains("the server already serves 3 event streams");
        assertThat(RawHttp.request(running.port(), "GET", "/health", null, "").status()).isEqualTo(200);
        assertThat(RawHttp.request(running.port(), "POST", "/api/breakers/k/trip", Fixtures.ALICE,
                "{\"reason\": \"while streams are open\"}").status()).isEqualTo(200);
    }

    /** Opens a stream from {@code from} over a raw socket; returns its head and the start of its body. */
    private String[] rawStream(String from) throws IOException {
        Socket socket = new Socket();
        open.add(socket);
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress(RawHttp.LOOPBACK, running.port()), 10_000);
        socket.setSoTimeout(20_000);
        socket.getOutputStream().write(("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder text = new StringBuilder();
        while (text.indexOf("\r\n\r\n") < 0 || text.indexOf("}", text.indexOf("\r\n\r\n")) < 0) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            text.append((char) b);
        }
        int split = text.indexOf("\r\n\r\n");
        return new String[] {text.substring(0, split), text.substring(split + 4)};
    }

    @Test
    void endsItsStreamsWhenTheServerStops() throws Exception {
        start(b -> b);
        EventReader events = events("");
        events.next("hello");

        running.server.close();

        assertThat(events.ends()).as("the stream ended").isTrue();
    }

    @Test
    void dropsAClientThatDoesNotReadWithoutHoldingUpTheOthers() throws Exception {
        TestServer s = start(b -> b.eventStreamBuffer(64 * 1024));
        for (int i = 0; i < 2000; i++) {
            s.breakers.trip(String.format("upstream-%04d", i), "a summary of 2,000 open breakers", "alice");
        }
        EventReader reader = events("");
        try (LogCapture log = new LogCapture()) {
            Socket stalled = new Socket();
            open.add(stalled);
            stalled.setReceiveBufferSize(1024);
            stalled.connect(new InetSocketAddress(RawHttp.LOOPBACK, s.port()), 10_000);
            stalled.getOutputStream().write("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)); // and never reads

            Eventually.await(() -> !log.linesContaining("Dropped the event stream").isEmpty(),
                    "the stalled client to be dropped");
            reader.next("summary");
            s.breakers.trip("draftkings", "after the drop", "alice");
            assertThat(reader.next("trip").data().get("bookmaker").asText()).isEqualTo("draftkings");
        }
    }

    @Test
    void servesTripEvidenceHistoryAndTheUserOfAToken() throws Exception {
        TestServer s = start(b -> b);
        Calls.failTimes(s.breakers.breaker("fanduel"), 10);
        Eventually.await(() -> get("/api/breakers/fanduel/history").get("at").size() >= 2, "two samples");

        JsonNode evidence = get("/api/breakers/fanduel/trip-evidence");
        JsonNode history = get("/api/breakers/fanduel/history");

        assertThat(evidence).hasSize(10);
        assertThat(evidence.get(0).get("kind").asText()).isEqualTo("FAILURE");
        assertThat(evidence.get(0).get("error").asText()).isEqualTo("Error 0");
        assertThat(evidence.get(9).get("weight").asDouble()).isEqualTo(1.0);
        assertThat(history.get("intervalMs").asInt()).isEqualTo(1000);
        assertThat(history.get("state").get(history.get("at").size() - 1).asText()).isEqualTo("OPEN");
        int failures = 0;
        for (JsonNode n : history.at("/perSecond/failures")) {
            failures += n.asInt();
        }
        assertThat(failures).as("the failures before the first sample are in it").isEqualTo(10);
        assertThat(RawHttp.request(s.port(), "GET", "/api/breakers/nobody/history", null, "").status()).isEqualTo(404);
        assertThat(RawHttp.request(s.port(), "GET", "/api/breakers/nobody/trip-evidence", null, "").status())
                .isEqualTo(404);
        RawHttp.Reply whoami = RawHttp.request(s.port(), "GET", "/api/whoami", Fixtures.BOB, "");
        assertThat(json.readTree(whoami.body()).get("user").asText()).isEqualTo("bob");
        assertThat(RawHttp.request(s.port(), "GET", "/api/whoami", "wrong-token-0123456789", "").status())
                .isEqualTo(401);
        assertThat(RawHttp.request(s.port(), "GET", "/api/whoami", null, "").status()).isEqualTo(401);
    }

    private JsonNode get(String path) {
        try {
            return json.readTree(RawHttp.request(running.port(), "GET", path, null, "").body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
