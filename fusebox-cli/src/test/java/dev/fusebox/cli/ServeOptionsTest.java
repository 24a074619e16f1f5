package dev.fusebox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.admin.TestCertificate;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fusebox serve}'s network options: TLS, allowed hosts, and the warning for plain HTTP beyond loopback. */
class ServeOptionsTest {

    private static final Pattern LISTENING = Pattern.compile("listening on (https?)://[^:]+:(\\d+)");

    @TempDir
    Path dir;

    @Test
    void warnsWhenItServesPlainHttpBeyondLoopback() throws Exception {
        try (Running serve = serve("--bind", "0.0.0.0")) {
            assertThat(serve.scheme).isEqualTo("http");
            assertThat(serve.err.toString()).contains("warning: serving plain HTTP on 0.0.0.0", "--tls-cert");
        }
        try (Running serve = serve("--bind", "127.0.0.1")) {
            assertThat(serve.err.toString()).doesNotContain("warning");
        }
    }

    @Test
    void servesHttpsWithTlsCertAndKey() throws Exception {
        TestCertificate cert = TestCertificate.generate(dir, "admin", "EC");
        try (Running serve = serve("--bind", "0.0.0.0", "--tls-cert", cert.certificate().toString(),
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
        try (Running serve = serve("--allowed-host", "admin.test", "--allowed-host", "fusebox.test")) {
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

    /** {@code fusebox serve} on this thread's JVM, on a free port, until closed. */
    private Running serve(String... options) throws Exception {
        String[] args = new String[options.length + 7];
        String[] common = {"serve", "--db", dir.resolve("serve.db").toString(), "--port", "0", "--tokens",
            dir.resolve("tokens").toString()};
        System.arraycopy(common, 0, args, 0, common.length);
        System.arraycopy(options, 0, args, common.length, options.length);
        return new Running(args);
    }

    private static final class Running implements AutoCloseable {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final Thread thread;
        final String scheme;
        final int port;

        Running(String[] args) throws InterruptedException {
            thread = new Thread(() -> FuseboxCli.run(new PrintWriter(out), new PrintWriter(err), args), "serve");
            thread.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Matcher m = LISTENING.matcher("");
            while (!m.reset(out.toString()).find()) {
                assertThat(thread.isAlive()).as("serve is running; it said: %s %s", out, err).isTrue();
                assertThat(System.nanoTime()).as("serve listens within 30 s").isLessThan(deadline);
                thread.join(10); // waits for the command's first line, not for time to pass
            }
            scheme = m.group(1);
            port = Integer.parseInt(m.group(2));
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt(); // serve ends like on Ctrl-C: it closes the server and the store
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(thread.isAlive()).isFalse();
        }
    }
}
