package dev.fusebox.admin;

import static dev.fusebox.admin.RawHttp.LOOPBACK;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.CircuitBreakerRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and greedy clients against the admin API over real sockets on loopback: Linux routes all
 * of 127.0.0.0/8 to lo, so 127.0.0.2 and 127.0.0.3 stand for other clients.
 */
class SlowClientsTest {

    private static final InetAddress SECOND = RawHttp.address("127.0.0.2");
    private static final InetAddress THIRD = RawHttp.address("127.0.0.3");
    private static final String HEALTH = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

    @TempDir
    Path dir;

    @AutoClose
    private final CircuitBreakerRegistry breakers = Fixtures.registry();
    private int retries;


    @Test
    void healthAnswersWhileFiveHundredClientsDribbleHeaders() throws Exception {
        List<Long> millis = healthWhileDribbling(List.of(SECOND, THIRD), 1);

        assertThat(millis).hasSize(20);
    }

    @Test
    void healthAnswersWhileItsOwnAddressDribblesHeaders() throws Exception {
        // A client that shares its address with the slow ones may lose a connection that had not
        // yet delivered its request; it is closed, never left hanging, and a retry gets through.
        List<Long> millis = healthWhileDribbling(List.of(LOOPBACK), 3);

        assertThat(millis).hasSize(20);
    }

    /**
     * 20 health checks from 127.0.0.1 while 500 connections from {@code from} dribble headers;
     * reports and returns their latencies.
     */
    private List<Long> healthWhileDribbling(List<InetAddress> from, int attempts) throws Exception {
        try (AdminServer server = AdminServer.builder(breakers).port(0).tokensFile(Fixtures.tokens(dir)).start();
             Dribblers slow = new Dribblers(server.port(), 500, from, Duration.ofMillis(300), 20_000)) {
            slow.awaitRounds(2, Duration.ofSeconds(60));

            List<Long> millis = healthChecks(server.port(), 20, attempts);

            List<Long> sorted = millis.stream().sorted().toList();
            System.out.printf("measured: GET /health while 500 connections from %s dribble headers: p50 %d ms,"
                            + " max %d ms over %d requests, %d retried (slow connections opened %d, closed by the"
                            + " server %d)%n", from, sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1),
                    sorted.size(), retries, slow.connected(), slow.closedByServer());
            return millis;
        }
    }

    @Test
    void aRequestThatTricklesInIsClosedAtTheRequestTimeout() throws Exception {
        try (AdminServer server = AdminServer.builder(breakers).port(0).tokensFile(Fixtures.tokens(dir))
                .requestTimeout(Duration.ofMillis(500)).start()) {
            long start = System.nanoTime(); // before the connection: the server's 500 ms start after this
            try (Dribblers slow = new Dribblers(server.port(), 1, List.of(SECOND), Duration.ofMillis(50), 0)) {
                long deadline = start + Duration.ofSeconds(10).toNanos();
                while (slow.closedByServer() == 0 && System.nanoTime() < deadline) {
                    slow.awaitRounds(1, Duration.ofSeconds(10)); // one header line every 50 ms: never idle
                }
                long tookMillis = (System.nanoTime() - start) / 1_000_000;

                assertThat(slow.closedByServer()).as("closed by the server").isEqualTo(1);
                assertThat(tookMillis).isGreaterThanOrEqualTo(500);
            }
        }
    }

    @Test
    void anAnswerTakenTooSlowlyIsClosedAtTheRequestTimeout() throws Exception {
        int size = 16 * 1024 * 1024; // more than any socket buffers hold: sending takes as long as the client reads
        String metrics = "#".repeat(size - 1) + "\n";
        PrometheusMeterRegistry huge = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) {
            @Override
            public void scrape(java.io.OutputStream out) throws IOException {
                out.write(metrics.getBytes(StandardCharsets.US_ASCII));
            }
        };
        try (AdminServer server = AdminServer.builder(breakers).port(0).tokensFile(Fixtures.tokens(dir)).prometheus(huge)
                .requestTimeout(Duration.ofMillis(200)).start();
             Socket client = new Socket()) {
            client.setReceiveBufferSize(4096);
            client.bind(new InetSocketAddress(SECOND, 0));
            client.connect(new InetSocketAddress(LOOPBACK, server.port()), 10_000);
            client.setSoTimeout(10_000);
            client.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = client.getInputStream();
            byte[] chunk = new byte[1024];
            long received = 0;
            // 1 KiB every 50 ms for 3 s, fifteen request timeouts: each read resets the idle timeout
            for (int i = 0; i < 60; i++) {
                received += Math.max(0, in.read(chunk));
                Thread.sleep(50); // the slow client's pace, not a wait for the server
            }
            // then as fast as it can: what is left is what the server sent before it gave up
            try {
                for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                    received += n;
                }
            } catch (IOException reset) {
                // closed by the server: as good as the end of the stream
            }

            assertThat(received).as("bytes of a %d-byte answer", size).isLessThan(size);
        }
    }

    @Test
    void aClientPastItsShareLosesAWaitingConnectionAndOthersKeepTheirs() throws Exception {
        int share = AdminServer.DEFAULT_MAX_CONNECTIONS_PER_CLIENT;
        try (AdminServer server = AdminServer.builder(breakers).port(0).tokensFile(Fixtures.tokens(dir)).start();
             Selector closes = Selector.open()) {
            List<SocketChannel> greedy = new ArrayList<>();
            try {
                int closed = 0;
                for (int i = 0; i < share + 4; i++) {
                    SocketChannel c = startRequest(server.port(), SECOND);
                    c.configureBlocking(false);
                    c.register(closes, SelectionKey.OP_READ, c);
                    greedy.add(c);
                    if (i >= share) {
                        // each connection past the share closes one of the client's waiting ones
                        closed += awaitClosed(closes, Duration.ofSeconds(10));
                        assertThat(closed).as("connections closed by the server").isEqualTo(i - share + 1);
                    }
                }
                SocketChannel other = startRequest(server.port(), THIRD);
                assertThat(finishRequest(other).status()).isEqualTo(200);

                List<SocketChannel> kept = greedy.stream().filter(SocketChannel::isOpen).toList();
                assertThat(kept).hasSize(share);
                for (SocketChannel c : kept) {
                    c.keyFor(closes).cancel();
                    closes.selectNow();
                    c.configureBlocking(true);
                    assertThat(finishRequest(c).status()).isEqualTo(200);
                }
            } finally {
                for (SocketChannel c : greedy) {
                    c.close();
                }
            }
        }
    }

    /** A connection from {@code from} that has sent all of a /health request but its last empty line. */
    private static SocketChannel startRequest(int port, InetAddress from) throws IOException {
        SocketChannel c = SocketChannel.open();
        c.bind(new InetSocketAddress(from, 0));
        c.connect(new InetSocketAddress(LOOPBACK, port));
        c.write(ByteBuffer.wrap(HEALTH.substring(0, HEALTH.length() - 2).getBytes(StandardCharsets.US_ASCII)));
        return c;
    }

    private static RawHttp.Reply finishRequest(SocketChannel c) throws IOException {
        c.write(ByteBuffer.wrap("\r\n".getBytes(StandardCharsets.US_ASCII)));
        c.socket().setSoTimeout(10_000);
        return RawHttp.parse(c.socket().getInputStream().readAllBytes());
    }

    /** Waits until the server closes at least one of the connections in {@code selector}; closes them here too. */
    private static int awaitClosed(Selector selector, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int closed = 0;
        ByteBuffer sink = ByteBuffer.allocate(1024);
        while (closed == 0) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return 0;
            }
            selector.select(left);
            for (SelectionKey key : selector.selectedKeys()) {
                SocketChannel c = (SocketChannel) key.attachment();
                sink.clear();
                int n;
                try {
                    n = c.read(sink);
                } catch (IOException reset) {
                    n = -1;
                }
                if (n < 0) {
                    c.close();
                    closed++;
                }
            }
            selector.selectedKeys().clear();
        }
        return closed;
    }

    /**
     * {@code count} requests for /health from 127.0.0.1, one after another, each on a new
     * connection, each allowed {@code attempts} tries when the server closes the connection
     * before answering; returns how long each took, tries included.
     */
    private List<Long> healthChecks(int port, int count, int attempts) throws IOException {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            for (int attempt = 1; ; attempt++) {
                RawHttp.Reply r;
                try {
                    r = RawHttp.send(LOOPBACK, port, HEALTH, Duration.ofSeconds(10));
                } catch (IOException | AssertionError closedUnanswered) {
                    if (attempt < attempts && !(closedUnanswered instanceof java.net.SocketTimeoutException)) {
                        retries++;
                        continue;
                    }
                    throw closedUnanswered;
                }
                assertThat(r.status()).isEqualTo(200);
                break;
            }
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        return millis;
    }
}
