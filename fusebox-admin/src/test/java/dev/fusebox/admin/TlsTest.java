package dev.fusebox.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.testing.LogCapture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from PEM files, over real TLS on loopback, and the warning for plain HTTP beyond it. */
class TlsTest {

    @TempDir
    Path dir;

    @AutoClose
    private final CircuitBreakerRegistry breakers = Fixtures.registry();


    @Test
    void servesHttpsWithAPemCertificateAndAPkcs8Key() throws Exception {
        for (String algorithm : new String[] {"EC", "RSA"}) {
            TestCertificate cert = TestCertificate.generate(dir, "server-" + algorithm, algorithm);
            try (AdminServer server = builder().tlsCertificate(cert.certificate()).tlsKey(cert.key()).start()) {
                HttpClient https = HttpClient.newBuilder().sslContext(cert.trustingIt())
                        .connectTimeout(Duration.ofSeconds(10)).build();
                String base = "https://localhost:" + server.port();

                HttpResponse<String> health = https.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> trip = https.send(HttpRequest.newBuilder(URI.create(base + "/api/breakers/k/trip"))
                        .header("Authorization", "Bearer " + Fixtures.ALICE)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"over TLS\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());

                assertThat(server.tls()).isTrue();
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).startsWith("TLSv1."));
                assertThat(trip.statusCode()).as(trip.body()).isEqualTo(200);
                assertThat(plainHttpAnswers(server.port())).as("plain HTTP on the TLS port").isFalse();
            }
        }
        assertThat(breakers.isTripped("k")).isTrue();
    }

    @Test
    void refusesAKeyInAnotherFormatWithTheCommandThatConvertsIt() throws Exception {
        TestCertificate cert = TestCertificate.generate(dir, "server", "RSA");
        Path pkcs1 = Fixtures.ownerOnly(dir.resolve("pkcs1.key"),
                "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n");

        assertThatThrownBy(() -> builder().tlsCertificate(cert.certificate()).tlsKey(pkcs1).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a PKCS#1 RSA key")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt -in " + pkcs1);
    }

    @Test
    void refusesAKeyThatIsNotTheCertificates() throws Exception {
        TestCertificate one = TestCertificate.generate(dir, "one", "EC");
        TestCertificate other = TestCertificate.generate(dir, "other", "EC");

        assertThatThrownBy(() -> builder().tlsCertificate(one.certificate()).tlsKey(other.key()).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not belong");
    }

    @Test
    void refusesAKeyOthersCanReadAndTakesOneItsGroupCanRead() throws Exception {
        TestCertificate cert = TestCertificate.generate(dir, "server", "EC");
        Files.setPosixFilePermissions(cert.key(), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> builder().tlsCertificate(cert.certificate()).tlsKey(cert.key()).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chmod 600 " + cert.key());

        Files.setPosixFilePermissions(cert.key(), PosixFilePermissions.fromString("rw-r-----"));
        builder().tlsCertificate(cert.certificate()).tlsKey(cert.key()).start().close();
    }

    @Test
    void refusesACertificateWithoutItsKey() throws Exception {
        TestCertificate cert = TestCertificate.generate(dir, "server", "EC");

        assertThatThrownBy(() -> builder().tlsCertificate(cert.certificate()).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tlsCertificate and tlsKey go together");
    }

    @Test
    void warnsWhenItServesPlainHttpBeyondLoopback() throws Exception {
        TestCertificate cert = TestCertificate.generate(dir, "server", "EC");
        try (LogCapture log = new LogCapture()) {
            builder().bind("127.0.0.1").start().close();
            builder().bind("0.0.0.0").tlsCertificate(cert.certificate()).tlsKey(cert.key()).start().close();
            assertThat(log.linesContaining("plain HTTP")).isEmpty();

            builder().bind("0.0.0.0").start().close();

            assertThat(log.linesContaining("plain HTTP")).singleElement().asString()
                    .contains("0.0.0.0", "unencrypted", "--tls-cert");
        }
    }

    private AdminServer.Builder builder() throws IOException {
        return AdminServer.builder(breakers).port(0).tokensFile(Fixtures.tokens(dir));
    }

    /** Whether a plain HTTP request to {@code port} gets an HTTP answer. */
    private static boolean plainHttpAnswers(int port) {
        try {
            RawHttp.Reply r = RawHttp.request(port, "GET", "/health", null, "");
            return r.status() == 200;
        } catch (IOException | AssertionError refused) {
            return false;
        }
    }
}
