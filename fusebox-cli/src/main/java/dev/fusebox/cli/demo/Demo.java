package dev.fusebox.cli.demo;

import dev.fusebox.BreakerConfig;
import dev.fusebox.BreakerStatus;
import dev.fusebox.CallContext;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.FuseboxException;
import dev.fusebox.RecoveryPolicy;
import dev.fusebox.admin.AdminServer;
import dev.fusebox.store.jdbc.JdbcBreakerStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The demo: simulated bookmakers on loopback, a workload through Fusebox breakers, the admin API
 * and metrics, and a live table. Ends after {@code duration} or on {@link #stop()}.
 */
public final class Demo {

    static final CallContext DEEP_PROBE = CallContext.of("deepProbe", 50);
    static final CallContext MICRO_BET = CallContext.of("microBet", 10);
    static final CallContext DARK_POOL_PROBE = CallContext.of("darkPoolProbe", 15);
    static final CallContext GRAPH_BUILD = CallContext.of("graphBuild", 200);
    private static final List<CallContext> LIGHT = List.of(DEEP_PROBE, MICRO_BET, DARK_POOL_PROBE);

    /** The demo's shed threshold: low enough that a burst of heavy calls on a laptop crosses it. */
    static final double SHED_THRESHOLD = 0.35;
    static final int IN_FLIGHT_CAPACITY = 30;
    static final int WORKERS = 6;
    static final int BURST_THREADS = 48;

    private final Map<String, Upstreams.Upstream> cast = Upstreams.cast();
    private final PrintWriter out;
    private final Setup setup;
    private final boolean terminal;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicBoolean running = new AtomicBoolean(true);

    /**
     * Where the demo keeps its state and serves its API, and for how long it runs.
     *
     * @param db the SQLite file
     * @param port the admin API's port, 0 for any free one
     * @param tokens the admin API's tokens file
     * @param duration how long it runs
     */
    public record Setup(Path db, int port, Path tokens, Duration duration) {
    }

    /** @param terminal whether the output is a terminal (the live table redraws in place) */
    public Demo(PrintWriter out, Setup setup, boolean terminal) {
        this.out = out;
        this.setup = setup;
        this.terminal = terminal;
    }

    /** Ends the demo early (Ctrl-C). */
    public void stop() {
        stop.countDown();
    }

    /** Runs the demo to its end; returns the exit code. */
    public int run() throws IOException, InterruptedException {
        BreakerConfig recovering = BreakerConfig.builder().recoveryPolicy(RecoveryPolicy.AUTOMATIC).failureThreshold(5)
                .openWait(Duration.ofSeconds(3)).maxOpenWait(Duration.ofSeconds(12)).successThreshold(2).build();
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS + BURST_THREADS, r -> {
            Thread t = new Thread(r, "demo-worker");
            t.setDaemon(true);
            return t;
        });
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (Upstreams upstreams = new Upstreams(cast);
             CircuitBreakerRegistry breakers = CircuitBreakerRegistry.builder()
                     .store(JdbcBreakerStore.sqlite(setup.db()))
                     .preset("caesars", recovering)
                     .loadShedThreshold(SHED_THRESHOLD)
                     .inFlightCapacity(IN_FLIGHT_CAPACITY)
                     .build();
             AdminServer admin = AdminServer.builder(breakers).port(setup.port()).tokensFile(setup.tokens()).start()) {
            List<String> alreadyTripped = cast.keySet().stream().filter(breakers::isTripped).toList();
            cast.keySet().forEach(breakers::breaker);
            String adminUrl = "http://127.0.0.1:" + admin.port();
            header(upstreams, adminUrl, alreadyTripped);
            for (int w = 0; w < WORKERS; w++) {
                int id = w;
                workers.submit(() -> lightTraffic(id, cast, breakers, http, upstreams));
            }
            long burstFrom = Math.max(2, setup.duration().toSeconds() * 45 / 100);
            long burstTo = Math.max(burstFrom + 3, setup.duration().toSeconds() * 65 / 100);
            for (int b = 0; b < BURST_THREADS; b++) {
                workers.submit(() -> heavyBurst(breakers, http, upstreams, burstFrom, burstTo));
            }
            long end = System.nanoTime() + setup.duration().toNanos();
            long lastPlain = -5;
            while (!stop.await(1, TimeUnit.SECONDS) && System.nanoTime() < end) {
                if (terminal) {
                    out.print("\033[H\033[2J");
                    header(upstreams, adminUrl, alreadyTripped);
                    table(breakers, upstreams.second(), burstFrom, burstTo);
                } else if (upstreams.second() - lastPlain >= 5) {
                    lastPlain = upstreams.second();
                    table(breakers, upstreams.second(), burstFrom, burstTo);
                }
                out.flush();
            }
            // Let the calls in flight finish (a hanging one times out after 500 ms) rather than
            // interrupting them: an interrupted call would be counted against its upstream.
            running.set(false);
            workers.shutdown();
            workers.awaitTermination(5, TimeUnit.SECONDS);
            summary(breakers, admin.port());
        } finally {
            running.set(false);
            workers.shutdownNow();
        }
        return 0;
    }

    private void lightTraffic(int id, Map<String, Upstreams.Upstream> cast, CircuitBreakerRegistry breakers,
                              HttpClient http, Upstreams upstreams) {
        List<String> keys = List.copyOf(cast.keySet());
        for (long n = id; running.get(); n++) {
            String key = keys.get((int) (n % keys.size()));
            if (!call(breakers, http, upstreams, key, LIGHT.get((int) (n / keys.size() % LIGHT.size())))) {
                pause(25); // refused at once: keep the pace of a real caller
            }
            pause(25);
        }
    }

    /** Heavy calls to the slow bookmaker during the burst window: real pressure on calls in flight. */
    private void heavyBurst(CircuitBreakerRegistry breakers, HttpClient http, Upstreams upstreams, long from, long to) {
        while (running.get()) {
            long s = upstreams.second();
            if (s >= from && s < to) {
                if (!call(breakers, http, upstreams, "pinnacle", GRAPH_BUILD)) {
                    pause(100); // shed: a caller backs off before trying again
                }
            } else {
                pause(200);
            }
        }
    }

    /** One protected call; false when Fusebox refused it (rejected or shed) without calling. */
    private static boolean call(CircuitBreakerRegistry breakers, HttpClient http, Upstreams upstreams, String key,
                                CallContext ctx) {
        try {
            breakers.call(key, () -> fetch(http, upstreams.baseUrl() + "/" + key), ctx);
            return true;
        } catch (FuseboxException refused) {
            return false; // counted by the breaker, nothing sent
        } catch (Exception upstreamFailed) {
            return true; // counted by the breaker as a failure or a timeout
        }
    }

    private static String fetch(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(500))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 500) {
            throw new IOException(r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private void header(Upstreams upstreams, String adminUrl, List<String> alreadyTripped) {
        out.printf("Fusebox demo: %d s of %d s. Console: %s/ (open it in a browser)%n", upstreams.second(),
                setup.duration().toSeconds(), adminUrl);
        out.printf("Admin API and metrics on the same port: try %s/health; operator tokens in %s%n", adminUrl,
                setup.tokens());
        out.printf("State: %s. Shedding heavy calls above load %.2f (demo setting; default 0.85).%n",
                setup.db().toAbsolutePath(), SHED_THRESHOLD);
        if (!alreadyTripped.isEmpty()) {
            out.printf("Still tripped from an earlier run (durable state): %s. Reset with ./fusebox reset KEY --reason ... --force%n",
                    String.join(", ", alreadyTripped));
        }
        for (Upstreams.Upstream u : cast.values()) {
            out.printf("  %-11s %s%n", u.name(), u.story());
        }
        out.println();
    }

    private void table(CircuitBreakerRegistry breakers, long second, long burstFrom, long burstTo) {
        boolean burst = second >= burstFrom && second < burstTo;
        out.printf("t=%3ds  load %.2f  in flight %3d%s%n", second, breakers.currentLoad(), breakers.inFlightCalls(),
                burst ? "  << burst of heavy graphBuild calls to pinnacle" : "");
        out.printf("  %-11s %-9s %9s %7s %8s %6s %9s%n", "BREAKER", "STATE", "FAILURES", "CALLS", "REJECTED", "SHED",
                "AVG MS");
        for (BreakerStatus s : breakers.statusAll()) {
            out.printf("  %-11s %-9s %9s %7d %8d %6d %9s%n", s.key(), s.state(), number(s.failures()) + "/"
                    + number(s.failureThreshold()), s.calls(), s.rejections(), s.sheds(),
                    s.avgLatencyMs() == null ? "-" : String.format(Locale.ROOT, "%.1f", s.avgLatencyMs()));
        }
    }

    private void summary(CircuitBreakerRegistry breakers, int adminPort) {
        out.println();
        out.println("Summary (the console was at http://127.0.0.1:" + adminPort + "/)");
        for (BreakerStatus s : breakers.statusAll()) {
            out.printf("  %-11s %-9s calls %6d, failures %5d, timeouts %5d, rejected %6d, shed %5d, trips %d%s%n",
                    s.key(), s.state(), s.calls(), s.failedCalls(), s.timeouts(), s.rejections(), s.sheds(), s.tripCount(),
                    s.tripped() ? " (tripped by " + s.trippedBy() + ")" : "");
        }
        out.println();
        out.println("Try next (the state is in " + setup.db() + "; it survives this process):");
        out.println("  ./fusebox status-all");
        out.println("  ./fusebox status fanduel");
        out.println("  ./fusebox audit");
        out.println("  ./fusebox reset fanduel --reason \"upstream fixed\" --force");
        int servePort = setup.port() == 0 ? adminPort : setup.port();
        out.println("  ./fusebox serve --port " + servePort + "   # the console and admin API over the same state:"
                + " http://127.0.0.1:" + servePort + "/");
        out.println("  curl -s http://127.0.0.1:" + servePort + "/metrics | grep circuit_breaker_tripped   # while serve runs");
        out.flush();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // pacing of the simulated workload
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.1f", d);
    }
}
