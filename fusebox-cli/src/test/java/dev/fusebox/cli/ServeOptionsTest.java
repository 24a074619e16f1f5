package dev.fusebox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.admin.TestCertificate;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fusebox serve}'s network options: TLS, allowed hosts, and the warning for plain HTTP beyond loopback. */
class ServeOptionsTest {

    @TempDir
    Path dir;

    @Test
    void warnsWhenItServesPlainHttpBeyondLoopback() throws Exception {
        try (RunningServe serve = serve("--bind", "0.0.0.0")) {
            assertThat(serve.scheme).isEqualTo("http");
            assertThat(serve.err.toString()).contains("warning: serving plain HTTP on 0.0.0.0", "--tls-cert");
        }
        try (RunningServe serve = serve("--bind", "127.0.0.1")) {
            assertThat(serve.err.toString()).doesNotContain("warning");
        }
    }

    @Test
    void servesHttpsWithTlsCertAndKey() throws Exception {
        TestCertificate cert = TestCertificate.generate(dir, "admin", "EC");
        try (RunningServe serve = serve("--bind", "0.0.0.0", "--tls-cert", cert.certificate().toString(),
                "--tls-key", cert.key().toString())) {
            HttpClient https = HttpClient.newBuilder().sslContext(cert.trustingIt()).build();
            HttpResponse<String> health = https.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + serve.port + "/health")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(serve.scheme).isEqualTo("https");
            assertThat(serve.err.toString()).doesNotContain("warning");
            assertThat(health.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void answersTheHostsGivenWithAllowedHost() throws Exception {
        try (RunningServe serve = serve("--allowed-host", "admin.test", "--allowed-host", "fusebox.test")) {
            assertThat(healthStatus(serve.port, "admin.test:" + serve.port)).isEqualTo(200);
            assertThat(healthStatus(serve.port, "fusebox.test")).isEqualTo(200);
            assertThat(healthStatus(serve.port, "evil.example")).isEqualTo(421);
        }
    }

    @Test
    void refusesATlsCertWithoutItsKey() throws Exception {
        TestCertificate cert = TestCertificate.generate(dir, "admin", "EC");

        CommandsTest.Result r = CommandsTest.fusebox("serve", "--db", dir.resolve("x.db").toString(), "--port", "0",
                "--tokens", dir.resolve("tokens").toString(), "--tls-cert", cert.certificate().toString());

        assertThat(r.code()).isEqualTo(CliException.USAGE);
        assertThat(r.err()).contains("--tls-cert and --tls-key go together");
    }

    /** The status of GET /health with this Host header. */
    private static int healthStatus(int port, String host) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return Integer.parseInt(answer.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
        }
    }

    private RunningServe serve(String... options) throws Exception {
        return RunningServe.start(dir.resolve("serve.db"), dir.resolve("tokens"), options);
    }
}
