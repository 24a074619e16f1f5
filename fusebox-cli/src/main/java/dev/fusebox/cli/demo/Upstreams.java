package dev.fusebox.cli.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongFunction;

/**
 * Simulated bookmaker APIs on loopback HTTP, each with its own behaviour over time: real
 * responses, real 500s, real delays. The breakers trip because these really fail.
 */
final class Upstreams implements AutoCloseable {

    /** What an upstream does at a moment. */
    enum Mode { HEALTHY, FAILING, HANGING, SLOW }

    /** One simulated bookmaker: its name, what it does over time, and how it is described. */
    record Upstream(String name, String story, LongFunction<Mode> modeAtSecond) {
    }

    /** The demo's cast. Seconds count from the start of the demo. */
    static Map<String, Upstream> cast() {
        Map<String, Upstream> cast = new LinkedHashMap<>();
        cast.put("draftkings", new Upstream("draftkings", "healthy throughout", s -> Mode.HEALTHY));
        cast.put("fanduel", new Upstream("fanduel", "500 Internal Server Error from 5 s on",
                s -> s < 5 ? Mode.HEALTHY : Mode.FAILING));
        cast.put("betmgm", new Upstream("betmgm", "stops answering (timeouts) from 10 s on",
                s -> s < 10 ? Mode.HEALTHY : Mode.HANGING));
        cast.put("pinnacle", new Upstream("pinnacle", "slow (about 150 ms) throughout", s -> Mode.SLOW));
        cast.put("caesars", new Upstream("caesars", "fails from 8 s to 20 s, then recovers (automatic recovery)",
                s -> s >= 8 && s < 20 ? Mode.FAILING : Mode.HEALTHY));
        return cast;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "demo-upstream");
        t.setDaemon(true);
        return t;
    });
    private final long startNanos = System.nanoTime();

    Upstreams(Map<String, Upstream> cast) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(threads);
        for (Upstream u : cast.values()) {
            server.createContext("/" + u.name(), exchange -> answer(u, exchange));
        }
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    long second() {
        return (System.nanoTime() - startNanos) / 1_000_000_000L;
    }

    private void answer(Upstream u, HttpExchange exchange) throws IOException {
        try (exchange) {
            Mode mode = u.modeAtSecond().apply(second());
            int status = 200;
            String body = "{\"markets\": 42}";
            switch (mode) {
                case FAILING -> {
                    status = 500;
                    body = "Internal Server Error";
                }
                case HANGING -> pause(5_000); // longer than the client's timeout: the call times out
                case SLOW -> pause(150);
                default -> pause(5);
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException clientGone) {
            // the caller gave up (timeout): nothing to answer
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // simulated upstream latency, not a test waiting for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
