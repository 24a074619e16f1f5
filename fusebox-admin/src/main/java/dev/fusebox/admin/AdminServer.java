package dev.fusebox.admin;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.internal.Causes;
import dev.fusebox.Checks;
import dev.fusebox.micrometer.FuseboxMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http.UriCompliance.Violation;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * Runs on Jetty 12 (core, no servlets), bound to 127.0.0.1 unless told otherwise. Requests are
 * parsed and their bodies read without blocking a thread, so slow or stalled clients cannot starve
 * the API; they are dropped after the idle timeout. Anything Jetty refuses before the API sees it
 * (an unparsable URI, oversized headers) gets the same JSON error body as the API's own errors.
 * Thread-safe; {@link #close()} stops it.
 */
public final class AdminServer implements AutoCloseable {

    /** Largest accepted request body. */
    public static final int MAX_BODY_BYTES = 16 * 1024;
    /** Default port. */
    public static final int DEFAULT_PORT = 3000;
    /** Default tokens file, created with a token for {@code admin} if missing. */
    public static final Path DEFAULT_TOKENS_FILE = Path.of("data", "admin-tokens");

    private static final Logger LOG = LoggerFactory.getLogger("dev.fusebox.admin");

    /** Most connections open at once; more wait in the accept queue. */
    static final int MAX_CONNECTIONS = 128;

    private final Server server;
    private final ServerConnector connector;
    private final ExecutorService work;
    private final PrometheusMeterRegistry ownPrometheus;

    private AdminServer(Builder b) throws IOException {
        Tokens.Loaded tokens = Tokens.loadOrCreate(b.tokensFile);
        if (tokens.created()) {
            LOG.warn("[CIRCUIT_BREAKER] No admin tokens were configured: created "
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
        work = new ThreadPoolExecutor(b.threads, b.threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, "fusebox-admin-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());

        // Jetty's own threads only accept, select and parse: they never wait for a client or the store.
        QueuedThreadPool io = new QueuedThreadPool(8, 2);
        io.setName("fusebox-admin-io");
        io.setDaemon(true);
        io.setReservedThreads(0);
        server = new Server(io);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        // The API splits the raw path and decodes each segment itself, so an encoded '/' or '%' is
        // part of a key, not an ambiguity; control characters reach it to be refused as INVALID_KEY.
        http.setUriCompliance(UriCompliance.DEFAULT.with("fusebox-admin", Violation.AMBIGUOUS_PATH_SEPARATOR,
                Violation.AMBIGUOUS_PATH_ENCODING, Violation.AMBIGUOUS_PATH_SEGMENT,
                Violation.AMBIGUOUS_EMPTY_SEGMENT, Violation.SUSPICIOUS_PATH_CHARACTERS));
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(b.bind);
        connector.setPort(b.port);
        connector.setIdleTimeout(b.idleTimeout.toMillis());
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));
        server.setHandler(new ApiHandler(api, work));
        server.setErrorHandler(new JsonErrorHandler(api));
        try {
            server.start();
        } catch (Exception e) {
            close();
            BindException bind = Causes.find(e, BindException.class);
            if (bind != null) {
                throw bind; // as the JDK reports it: "Address already in use", "Cannot assign requested address"
            }
            throw e instanceof IOException ioe ? ioe : new IOException("the admin server did not start: " + e, e);
        }
    }

    /** A builder for an admin server over {@code breakers}. */
    public static Builder builder(CircuitBreakerRegistry breakers) {
        return new Builder(breakers);
    }

    /** The port it listens on (the chosen one when started with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The address it listens on. */
    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), port());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("[CIRCUIT_BREAKER] The admin server did not stop cleanly: " + e);
        }
        work.shutdownNow();
        if (ownPrometheus != null) {
            ownPrometheus.close();
        }
    }

    /** Builds an {@link AdminServer}. Not thread-safe. */
    public static final class Builder {
        private final CircuitBreakerRegistry breakers;
        private int port = DEFAULT_PORT;
        private String bind = "127.0.0.1";
        private Path tokensFile = DEFAULT_TOKENS_FILE;
        private PrometheusMeterRegistry prometheus;
        private int threads = 4;
        private Duration idleTimeout = Duration.ofSeconds(30);

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
         * How long a connection may stay silent (between requests, or in the middle of one) before
         * it is closed, 1 ms to 1 h; default 30 s.
         */
        public Builder idleTimeout(Duration value) {
            // Jetty counts milliseconds, and takes 0 for "never".
            idleTimeout = Checks.range("idleTimeout", value, Duration.ofMillis(1), Duration.ofHours(1));
            return this;
        }

        /**
         * Starts the server.
         *
         * @throws BindException if the address cannot be bound (the port is taken, or the address is not local)
         * @throws IOException if the tokens file cannot be read or created
         * @throws IllegalArgumentException if the tokens file is malformed (the message names the line)
         */
        public AdminServer start() throws IOException {
            return new AdminServer(this);
        }
    }
}
