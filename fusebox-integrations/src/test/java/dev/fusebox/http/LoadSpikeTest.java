package dev.fusebox.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.fusebox.CallContext;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.CircuitOpenException;
import dev.fusebox.LoadShedException;
import dev.fusebox.testing.TestLoad;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A 50x traffic spike on loopback, bounded: 50 clients at once, 1,000 requests in all (50 times the 20
 * timeouts that trip a breaker). The rejection latencies are printed as {@code [MEASURED]}
 * lines; the assertions are on counts, which do not depend on the machine's speed.
 */
class LoadSpikeTest {

    private static final int CLIENTS = 50;
    private static final int REQUESTS_EACH = 20;

    private final AtomicInteger hits = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    private HttpServer upstream;

    private void startUpstream(boolean hang) throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), CLIENTS * 2);
        upstream.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "upstream");
            t.setDaemon(true);
            return t;
        }));
        upstream.createContext("/", exchange -> {
            try (exchange) {
                hits.incrementAndGet();
                if (hang) {
                    release.await(30, TimeUnit.SECONDS); // a bookmaker that stopped answering
                }
                exchange.sendResponseHeaders(200, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        upstream.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        clients.shutdownNow();
        if (upstream != null) {
            upstream.stop(0);
        }
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + upstream.getAddress().getPort() + "/markets");
    }

    @Test
    void aSpikeAgainstAnUpstreamThatStoppedAnsweringIsRefusedAtOnceAfterTheTrip() throws Exception {
        startUpstream(true);
        // 1 s stands in for a 5 s API timeout, to keep the test short.
        HttpRequest request = HttpRequest.newBuilder(uri()).timeout(Duration.ofSeconds(1)).build();
        List<Long> rejectionNanos = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger timeouts = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();

        try (CircuitBreakerRegistry breakers = CircuitBreakerRegistry.builder().build()) {
            HttpClient http = ProtectedHttpClient.builder(HttpClient.newHttpClient(), breakers).build();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                done.add(clients.submit(() -> {
                    for (int i = 0; i < REQUESTS_EACH; i++) {
                        long start = System.nanoTime();
                        try {
                            http.send(request, HttpResponse.BodyHandlers.discarding());
                            other.incrementAndGet();
                        } catch (CircuitOpenException e) {
                            rejectionNanos.add(System.nanoTime() - start);
                        } catch (HttpTimeoutException e) {
                            timeouts.incrementAndGet();
                        } catch (Exception e) {
                            other.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }

            assertThat(breakers.isTripped(ProtectedHttpClient.hostKey(request))).isTrue();
            // 20 timeouts (score 10) trip it; at most one request per client was still in flight then.
            assertThat(timeouts.get()).as("requests that timed out").isBetween(20, 20 + CLIENTS);
            assertThat(hits.get()).as("requests that reached the upstream: only those that timed out")
                    .isBetween(1, timeouts.get());
            assertThat(rejectionNanos).as("every other request was refused without being sent")
                    .hasSize(CLIENTS * REQUESTS_EACH - timeouts.get());
            assertThat(other).hasValue(0);
        }
        List<Long> sorted = new ArrayList<>(rejectionNanos);
        Collections.sort(sorted);
        System.out.printf("[MEASURED] spike of %d requests from %d clients, upstream hanging, 1 s timeout: %d sent "
                        + "(timed out), %d refused; refusal p50 %.1f us, p99 %.1f us, max %.1f us%n",
                CLIENTS * REQUESTS_EACH, CLIENTS, hits.get(), sorted.size(), sorted.get(sorted.size() / 2) / 1e3,
                sorted.get(sorted.size() * 99 / 100) / 1e3, sorted.get(sorted.size() - 1) / 1e3);
    }

    @Test
    void atNinetyFivePercentLoadHeavyCallsAreShedAndLightOnesGoThrough() throws Exception {
        startUpstream(false);
        HttpRequest request = HttpRequest.newBuilder(uri()).timeout(Duration.ofSeconds(30)).build();
        CallContext heavy = CallContext.of("graphBuild", 200);
        CallContext light = CallContext.of("microBet", 10);
        AtomicInteger heavyShed = new AtomicInteger();
        AtomicInteger heavyRan = new AtomicInteger();
        AtomicInteger lightRan = new AtomicInteger();
        AtomicInteger lightShed = new AtomicInteger();

        // The system load is the one thing a test cannot make real on demand: injected at 0.95.
        try (CircuitBreakerRegistry breakers = CircuitBreakerRegistry.builder()
                .loadProbe(new TestLoad().set(0.95)).loadSampleInterval(Duration.ZERO).build()) {
            breakers.sampleLoad();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                boolean heavyClient = c % 2 == 0;
                HttpClient http = ProtectedHttpClient.builder(HttpClient.newHttpClient(), breakers)
                        .context(r -> heavyClient ? heavy : light).build();
                done.add(clients.submit(() -> {
                    for (int i = 0; i < REQUESTS_EACH; i++) {
                        try {
                            http.send(request, HttpResponse.BodyHandlers.discarding());
                            (heavyClient ? heavyRan : lightRan).incrementAndGet();
                        } catch (LoadShedException e) {
                            (heavyClient ? heavyShed : lightShed).incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        }

        int heavyTotal = heavyShed.get() + heavyRan.get();
        assertThat(heavyTotal).isEqualTo(CLIENTS / 2 * REQUESTS_EACH);
        assertThat(heavyShed.get()).as("at least 80 %% of heavy calls shed")
                .isGreaterThanOrEqualTo(heavyTotal * 8 / 10);
        assertThat(lightShed).as("light calls are never shed").hasValue(0);
        assertThat(hits.get()).as("only what ran reached the upstream").isEqualTo(lightRan.get() + heavyRan.get());
        System.out.printf("[MEASURED] load 0.95: %d of %d heavy calls shed, %d of %d light calls ran%n",
                heavyShed.get(), heavyTotal, lightRan.get(), CLIENTS / 2 * REQUESTS_EACH);
    }
}
