package dev.fusebox.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Host header, checked on every endpoint against DNS rebinding. */
class HostCheckTest {

    private static final String[] GETS = {"/health", "/metrics", "/api/metrics", "/api/breakers", "/api/breakers/k",
        "/api/breakers/k/audit", "/api/audit", "/api/nothing"};
    private static final String[] POSTS = {"/api/breakers/k/trip", "/api/breakers/k/reset"};

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();
    private TestServer running;

    @BeforeEach
    void start() throws Exception {
        running = new TestServer(dir, b -> b.allowedHosts("admin.example.com"));
        running.breakers.breaker("k");
    }

    @AfterEach
    void stop() {
        running.close();
    }

    @Test
    void refusesAHostItDoesNotKnowOnEveryEndpoint() throws Exception {
        for (String host : new String[] {"evil.example", "evil.example:" + running.port(), "127.0.0.1.evil.example",
                "localhost.evil.example", "admin.example.com.evil.example", "[::1", "127.0.0.1:port", ""}) {
            for (String path : GETS) {
                expectRefused(request("GET", path, host, ""), host);
            }
            for (String path : POSTS) {
                expectRefused(request("POST", path, host, "{\"reason\": \"rebound\", \"force\": true}"), host);
            }
        }
        assertThat(running.breakers.isTripped("k")).isFalse();
        assertThat(running.breakers.audit(null, 10)).isEmpty();
    }

    @Test
    void answersLoopbackNamesAddressesAndConfiguredNames() throws Exception {
        int port = running.port();
        for (String host : new String[] {"localhost", "localhost:" + port, "LOCALHOST", "127.0.0.1", "127.0.0.1:" + port,
                "[::1]", "[::1]:" + port, "192.0.2.7:3000", "[2001:db8::7]", "admin.example.com",
                "Admin.Example.COM:443"}) {
            for (String path : GETS) {
                RawHttp.Reply r = request("GET", path, host, "");
                assertThat(r.status()).as("%s %s: %s", host, path, r.body()).isNotEqualTo(421);
            }
        }
        RawHttp.Reply trip = request("POST", "/api/breakers/k/trip", "localhost:" + port, "{\"reason\": \"local\"}");
        assertThat(trip.status()).as(trip.body()).isEqualTo(200);
    }

    @Test
    void refusesAnAllowedHostThatIsNotAName() {
        for (String bad : new String[] {"http://admin.example.com", "admin.example.com:3000", "*.example.com", "", "a b"}) {
            assertThatThrownBy(() -> AdminServer.builder(running.breakers).allowedHosts(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowedHosts");
        }
    }

    private RawHttp.Reply request(String method, String path, String host, String body) throws Exception {
        return RawHttp.send(RawHttp.LOOPBACK, running.port(), method + " " + path + " HTTP/1.1\r\nHost: " + host
                + "\r\nAuthorization: Bearer " + Fixtures.ALICE + "\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body, Duration.ofSeconds(10));
    }

    /** A 421, or the 400 with which Jetty refuses a Host that is not host[:port] at all. */
    private void expectRefused(RawHttp.Reply r, String host) throws Exception {
        boolean malformed = host.isEmpty() || host.equals("[::1") || host.endsWith(":port");
        assertThat(r.status()).as("Host: %s, %s", host, r.body()).isEqualTo(malformed ? 400 : 421);
        assertThat(json.readTree(r.body()).get("error").asText()).isEqualTo(malformed ? "BAD_REQUEST" : "HOST_NOT_ALLOWED");
    }
}
