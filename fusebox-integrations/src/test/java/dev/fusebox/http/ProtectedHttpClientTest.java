package dev.fusebox.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.fusebox.BreakerConfig;
import dev.fusebox.BreakerStatus;
import dev.fusebox.CallContext;
import dev.fusebox.CallTimeoutException;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.CircuitOpenException;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The wrapped HttpClient against a real upstream on loopback. */
class ProtectedHttpClientTest {

    private final ManualClock clock = new ManualClock();
    private final CircuitBreakerRegistry breakers = Registries.manual(clock, new TestLoad()).build();
    private final HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ProtectedHttpClient http = ProtectedHttpClient.builder(plain, breakers).build();
    private final AtomicInteger hits = new AtomicInteger();
    private final CountDownLatch never = new CountDownLatch(1);
    private final HttpServer upstream = upstream();

    private HttpServer upstream() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "upstream");
                t.setDaemon(true);
                return t;
            }));
            server.createContext("/", exchange -> {
                try (exchange) {
                    hits.incrementAndGet();
                    String path = exchange.getRequestURI().getPath();
                    if (path.equals("/hang")) {
                        never.await(30, TimeUnit.SECONDS);
                    }
                    int status = switch (path) {
                        case "/boom" -> 500;
                        case "/unavailable" -> 503;
                        case "/missing" -> 404;
                        case "/unauthorized" -> 401;
                        default -> 200;
                    };
                    byte[] body = ("status " + status).getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(status, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() {
        never.countDown();
        upstream.stop(0);
        breakers.close();
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + upstream.getAddress().getPort() + path))
                .timeout(Duration.ofSeconds(30)).build();
    }

    private BreakerStatus status() {
        return breakers.status("127.0.0.1:" + upstream.getAddress().getPort()).orElseThrow();
    }

    @Test
    void countsServerErrorsAsFailuresReturnsThemAndTripsAtTheThreshold() throws Exception {
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = http.send(get(i % 2 == 0 ? "/boom" : "/unavailable"), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isIn(500, 503);
            assertThat(r.body()).startsWith("status 50");
        }

        assertThat(status().tripped()).isTrue();
        assertThat(status().failures()).isEqualTo(10.0);
        assertThat(status().lastError()).isEqualTo("HTTP 503");
        assertThatThrownBy(() -> http.send(get("/ok"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(CircuitOpenException.class);
        assertThat(hits).as("the rejected request was not sent").hasValue(10);
    }

    @Test
    void clientErrorsAreNotTheUpstreamsFailure() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(http.send(get(i % 2 == 0 ? "/missing" : "/unauthorized"), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isIn(401, 404);
        }

        assertThat(status().tripped()).isFalse();
        assertThat(status().failures()).isZero();
        assertThat(status().successes()).isEqualTo(20);
    }

    @Test
    void networkErrorsAreFailuresAndReachTheCaller() throws Exception {
        int port;
        try (java.net.ServerSocket gone = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = gone.getLocalPort();
        } // nothing listens there now

        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(30)).build();
        assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(ConnectException.class);

        assertThat(breakers.status("127.0.0.1:" + port).orElseThrow().failures()).isEqualTo(1.0);
    }

    @Test
    void timeoutsWeighHalfAFailure() {
        HttpRequest slow = HttpRequest.newBuilder(get("/hang").uri()).timeout(Duration.ofMillis(200)).build();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> http.send(slow, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(HttpTimeoutException.class);
        }

        assertThat(status().failures()).isEqualTo(1.0);
        assertThat(status().timeouts()).isEqualTo(2);
    }

    @Test
    void sendAsyncCountsTheSameWayAndRejectsWithAFailedFuture() throws Exception {
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = http.sendAsync(get("/boom"), HttpResponse.BodyHandlers.ofString())
                    .get(30, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(500);
        }
        assertThat(http.sendAsync(get("/missing"), HttpResponse.BodyHandlers.ofString()).isCompletedExceptionally())
                .as("tripped: refused at once").isTrue();

        CompletableFuture<HttpResponse<String>> refused = http.sendAsync(get("/ok"), HttpResponse.BodyHandlers.ofString());
        assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(CircuitOpenException.class);
        assertThat(hits).hasValue(10);
        assertThat(status().failures()).isEqualTo(10.0);
    }

    @Test
    void keepsOneBreakerPerUpstreamOrPerTheKeyItIsGiven() throws Exception {
        HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        other.createContext("/", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(500, -1);
            }
        });
        other.start();
        try {
            HttpRequest otherRequest = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + other.getAddress().getPort() + "/")).timeout(Duration.ofSeconds(30)).build();
            for (int i = 0; i < 10; i++) {
                http.send(otherRequest, HttpResponse.BodyHandlers.discarding());
            }
            assertThat(http.send(get("/ok"), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("another upstream's breaker is not this one's").isEqualTo(200);

            CallContext heavy = CallContext.of("report", 200);
            ProtectedHttpClient byPath = ProtectedHttpClient.builder(plain, breakers)
                    .key(r -> "api" + r.uri().getPath()).context(r -> heavy).build();
            byPath.send(get("/boom"), HttpResponse.BodyHandlers.discarding());
            assertThat(breakers.status("api/boom").orElseThrow().failures()).isEqualTo(1.0);
            assertThat(byPath.breakerFor(get("/ok")).key()).isEqualTo("api/ok");
        } finally {
            other.stop(0);
        }
    }

    @Test
    void aCallTimeoutOrACancelAbortsTheExchangeItself() throws Exception {
        List<CompletableFuture<?>> exchanges = new CopyOnWriteArrayList<>();
        HttpClient recording = new Recording(plain, exchanges);
        CircuitBreakerRegistry timed = Registries.manual(clock, new TestLoad())
                .defaultConfig(BreakerConfig.builder().callTimeout(Duration.ofSeconds(2)).build()).build();
        try {
            ProtectedHttpClient guarded = ProtectedHttpClient.builder(recording, timed).build();

            CompletableFuture<HttpResponse<String>> timesOut = guarded.sendAsync(get("/hang"),
                    HttpResponse.BodyHandlers.ofString());
            clock.advance(Duration.ofSeconds(2)); // the breaker's call timeout
            assertThatThrownBy(() -> timesOut.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(CallTimeoutException.class);
            assertThat(exchanges.get(0).isDone()).as("the JDK exchange was aborted, not left running").isTrue();

            CompletableFuture<HttpResponse<String>> cancelled = guarded.sendAsync(get("/hang"),
                    HttpResponse.BodyHandlers.ofString());
            cancelled.cancel(true);
            assertThat(exchanges.get(1).isDone()).isTrue();
        } finally {
            timed.close();
        }
    }

    @Test
    void aMissingHandlerIsTheCallersMistakeNotTheUpstreamsFailure() {
        assertThatThrownBy(() -> http.sendAsync(get("/ok"), null)).isInstanceOf(NullPointerException.class);
        assertThat(breakers.find("127.0.0.1:" + upstream.getAddress().getPort())).as("no breaker was even asked")
                .isEmpty();
    }

    /** Passes everything to a real client and keeps the futures of the exchanges it started. */
    private static final class Recording extends HttpClient {
        private final HttpClient real;
        private final List<CompletableFuture<?>> exchanges;

        Recording(HttpClient real, List<CompletableFuture<?>> exchanges) {
            this.real = real;
            this.exchanges = exchanges;
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest r, HttpResponse.BodyHandler<T> h,
                                                                HttpResponse.PushPromiseHandler<T> p) {
            CompletableFuture<HttpResponse<T>> f = real.sendAsync(r, h, p);
            exchanges.add(f);
            return f;
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest r, HttpResponse.BodyHandler<T> h) {
            return sendAsync(r, h, null);
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest r, HttpResponse.BodyHandler<T> h) {
            throw new UnsupportedOperationException("the protected client sends asynchronously");
        }

        @Override
        public java.util.Optional<java.net.CookieHandler> cookieHandler() {
            return real.cookieHandler();
        }

        @Override
        public java.util.Optional<Duration> connectTimeout() {
            return real.connectTimeout();
        }

        @Override
        public Redirect followRedirects() {
            return real.followRedirects();
        }

        @Override
        public java.util.Optional<java.net.ProxySelector> proxy() {
            return real.proxy();
        }

        @Override
        public javax.net.ssl.SSLContext sslContext() {
            return real.sslContext();
        }

        @Override
        public javax.net.ssl.SSLParameters sslParameters() {
            return real.sslParameters();
        }

        @Override
        public java.util.Optional<java.net.Authenticator> authenticator() {
            return real.authenticator();
        }

        @Override
        public Version version() {
            return real.version();
        }

        @Override
        public java.util.Optional<java.util.concurrent.Executor> executor() {
            return real.executor();
        }
    }

    @Test
    void namesBreakersByHostAndNonDefaultPort() {
        assertThat(ProtectedHttpClient.hostKey(HttpRequest.newBuilder(URI.create("https://api.draftkings.com/markets")).build()))
                .isEqualTo("api.draftkings.com");
        assertThat(ProtectedHttpClient.hostKey(HttpRequest.newBuilder(URI.create("http://api.draftkings.com:80/x")).build()))
                .isEqualTo("api.draftkings.com");
        assertThat(ProtectedHttpClient.hostKey(HttpRequest.newBuilder(URI.create("https://api.draftkings.com:8443/")).build()))
                .isEqualTo("api.draftkings.com:8443");
        assertThat(ProtectedHttpClient.hostKey(HttpRequest.newBuilder(URI.create("https://API.DraftKings.com/")).build()))
                .as("host names are not case-sensitive").isEqualTo("api.draftkings.com");
        String longHost = ("a".repeat(60) + ".").repeat(4) + "example";
        String key = ProtectedHttpClient.hostKey(HttpRequest.newBuilder(URI.create("https://" + longHost + "/")).build());
        assertThat(key).hasSize(CircuitBreakerRegistry.MAX_KEY_LENGTH).startsWith("aaaa").contains("#");
        assertThat(breakers.breaker(key).key()).isEqualTo(key);
    }

    @Test
    void leavesTheClientsConfigurationToTheWrappedClient() {
        assertThat(http.connectTimeout()).isEqualTo(plain.connectTimeout());
        assertThat(http.followRedirects()).isEqualTo(plain.followRedirects());
        assertThat(http.version()).isEqualTo(plain.version());
        assertThat(http.sslContext()).isSameAs(plain.sslContext());
    }
}
