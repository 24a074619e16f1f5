package dev.fusebox.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.micrometer.FuseboxMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin HTTP API, started from a service's own code or by {@code fusebox serve}:
 *
 * <pre>{@code
 * AdminServer admin = AdminServer.builder(breakers).port(3000).start();   // 127.0.0.1:3000
 * }</pre>
 *
 * <ul>
 *   <li>{@code GET /metrics}, {@code GET /api/metrics}: Prometheus text
 *   <li>{@code GET /health}: overall status and every breaker's state, failures and failure rate
 *   <li>{@code GET /api/breakers}, {@code GET /api/breakers/{key}} (404 if unknown),
 *       {@code GET /api/breakers/{key}/audit?limit=N}, {@code GET /api/audit?limit=N} (every breaker)
 *   <li>{@code POST /api/breakers/{key}/trip}, {@code POST /api/breakers/{key}/reset}, body
 *       {@code {"reason": "...", "force": false}}, header {@code Authorization: Bearer TOKEN}; the
 *       audit records the token's user. A reset inside the cooldown is a 409 with
 *       {@code retryAfterMs}.
 * </ul>
 *
 * Runs on the JDK's HTTP server ({@code jdk.httpserver}) with a bounded pool of daemon threads;
 * binds to 127.0.0.1 unless told otherwise. Thread-safe; {@link #close()} stops it.
 */
public final class AdminServer implements AutoCloseable {

    /** Largest accepted request body. */
    public static final int MAX_BODY_BYTES = 16 * 1024;
    /** Default port. */
    public static final int DEFAULT_PORT = 3000;
    /** Default tokens file, created with a token for {@code admin} if missing. */
    public static final Path DEFAULT_TOKENS_FILE = Path.of("data", "admin-tokens");

    private static final System.Logger LOG = System.getLogger("dev.fusebox.admin");

    private final HttpServer server;
    private final ExecutorService threads;
    private final PrometheusMeterRegistry ownPrometheus;

    private AdminServer(Builder b) throws IOException {
        Tokens.Loaded tokens = Tokens.loadOrCreate(b.tokensFile);
        if (tokens.created()) {
            LOG.log(Level.WARNING, "[CIRCUIT_BREAKER] No admin tokens were configured: created "
                    + b.tokensFile.toAbsolutePath() + " (owner-only) with a token for user 'admin'");
        }
        PrometheusMeterRegistry prometheus = b.prometheus;
        if (prometheus == null) {
            prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new FuseboxMetrics(b.breakers).bindTo(prometheus);
            ownPrometheus = prometheus;
        } else {
            ownPrometheus = null;
        }
        AdminApi api = new AdminApi(b.breakers, prometheus, tokens.tokens());
        AtomicInteger n = new AtomicInteger();
        threads = new ThreadPoolExecutor(b.threads, b.threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(256),
                r -> {
                    Thread t = new Thread(r, "fusebox-admin-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(b.bind), b.port), 64);
        server.setExecutor(threads);
        server.createContext("/", exchange -> serve(api, exchange));
        server.start();
    }

    /** A builder for an admin server over {@code breakers}. */
    public static Builder builder(CircuitBreakerRegistry breakers) {
        return new Builder(breakers);
    }

    /** The port it listens on (the chosen one when started with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The address it listens on. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        if (ownPrometheus != null) {
            ownPrometheus.close();
        }
    }

    private static void serve(AdminApi api, HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            boolean tooLarge;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
                tooLarge = body.length > MAX_BODY_BYTES;
            }
            ApiRequest request = new ApiRequest(exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT),
                    exchange.getRequestURI().getRawPath(), query(exchange.getRequestURI().getRawQuery()),
                    exchange.getRequestHeaders().getFirst("Authorization"), body, tooLarge);
            ApiResponse response = api.handle(request);
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (response.status() == 401) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            }
            if (tooLarge) {
                exchange.getResponseHeaders().set("Connection", "close");
            }
            boolean head = "HEAD".equals(request.method());
            exchange.sendResponseHeaders(response.status(), head ? -1 : response.body().length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // The client went away; nothing to answer.
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.put(name, value);
            } catch (IllegalArgumentException malformed) {
                out.put("", ""); // an unreadable parameter is ignored, like an unknown one
            }
        }
        return out;
    }

    /** Builds an {@link AdminServer}. Not thread-safe. */
    public static final class Builder {
        private final CircuitBreakerRegistry breakers;
        private int port = DEFAULT_PORT;
        private String bind = "127.0.0.1";
        private Path tokensFile = DEFAULT_TOKENS_FILE;
        private PrometheusMeterRegistry prometheus;
        private int threads = 4;

        private Builder(CircuitBreakerRegistry breakers) {
            this.breakers = Objects.requireNonNull(breakers, "breakers");
        }

        /** @param value 0 (any free port) to 65535; default 3000 */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("port must be in [0, 65535], but was " + value);
            }
            port = value;
            return this;
        }

        /** The address to listen on; default 127.0.0.1 (loopback only). */
        public Builder bind(String address) {
            bind = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * The tokens file, one {@code user:token} per line (tokens of 16 characters or more).
         * Default {@code ./data/admin-tokens}, created owner-only with a token for {@code admin}
         * when missing.
         */
        public Builder tokensFile(Path file) {
            tokensFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /** Serve this registry's metrics instead of creating one bound to the breakers. */
        public Builder prometheus(PrometheusMeterRegistry registry) {
            prometheus = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** @param value request threads, 1 to 64; default 4 */
        public Builder threads(int value) {
            if (value < 1 || value > 64) {
                throw new IllegalArgumentException("threads must be in [1, 64], but was " + value);
            }
            threads = value;
            return this;
        }

        /**
         * Starts the server.
         *
         * @throws IOException if the port cannot be bound or the tokens file cannot be read or created
         * @throws IllegalArgumentException if the tokens file is malformed (the message names the line)
         */
        public AdminServer start() throws IOException {
            return new AdminServer(this);
        }
    }
}
