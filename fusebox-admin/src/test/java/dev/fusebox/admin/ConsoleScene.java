package dev.fusebox.admin;

import dev.fusebox.BreakerConfig;
import dev.fusebox.CallContext;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.FuseboxException;
import dev.fusebox.RegistryBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * A real admin server over real breakers (on the system clock unless a test gives one), for the console's browser tests:
 * {@code quick} resets without a cooldown, every other breaker has the default 60 s. Optional
 * traffic keeps breakers busy: steady calls with a few milliseconds of latency, and an upstream
 * that starts failing after a while.
 */
final class ConsoleScene implements AutoCloseable {

    static final CallContext PROBE = CallContext.of("deepProbe", 50);

    final CircuitBreakerRegistry breakers;
    final AdminServer server;
    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ExecutorService traffic = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "console-test-traffic");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean upstreamFails = new AtomicBoolean();

    ConsoleScene(Path dir) throws IOException {
        this(dir, b -> b);
    }

    /**
     * Breakers built with {@code setup} applied: a test's manual clock, for times the page must
     * show exactly, or a store that fails on demand.
     */
    ConsoleScene(Path dir, UnaryOperator<RegistryBuilder> setup) throws IOException {
        this.dir = dir;
        breakers = setup.apply(CircuitBreakerRegistry.builder()
                .preset("quick", BreakerConfig.builder().resetCooldown(Duration.ZERO).build()))
                .build();
        server = AdminServer.builder(breakers).port(0).tokensFile(Fixtures.tokens(dir)).start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /**
     * Calls {@code healthy} about 20 times a second with 2 to 12 ms of latency, and {@code failing}
     * as often, succeeding until {@link #upstreamFails()} and failing with a 500 from then on.
     */
    void traffic(String healthy, String failing) {
        traffic.submit(() -> {
            while (running.get()) {
                call(healthy, false);
                call(failing, upstreamFails.get());
                pace(50);
            }
        });
    }

    /** From now on the traffic's failing upstream answers 500: a test says when, not the wall clock. */
    void upstreamFails() {
        upstreamFails.set(true);
    }

    private void call(String key, boolean fail) {
        try {
            breakers.call(key, () -> {
                pace(2 + ThreadLocalRandom.current().nextInt(10)); // the upstream's latency
                if (fail) {
                    throw new IOException("500 Internal Server Error from " + key);
                }
                return "ok";
            }, PROBE);
        } catch (FuseboxException refused) {
            // rejected while tripped: counted by the breaker
        } catch (Exception failed) {
            // counted by the breaker as a failure
        }
    }

    /** The simulated workload's pace; never used to wait for a condition. */
    private static void pace(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** POSTs {@code body} to the API with {@code token}; returns the status. */
    int post(String path, String token, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    String get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Stops the server only (the page's stream drops); the breakers go on. */
    void stopServer() {
        server.close();
    }

    /** A new server on the same port and tokens, over the same breakers. */
    AdminServer restartServer(int port) throws IOException {
        return AdminServer.builder(breakers).port(port).tokensFile(Fixtures.tokens(dir)).start();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        traffic.shutdown();
        traffic.awaitTermination(10, TimeUnit.SECONDS);
        server.close();
        breakers.close();
    }
}
