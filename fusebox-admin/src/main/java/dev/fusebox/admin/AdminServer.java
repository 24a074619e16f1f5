package dev.fusebox.admin;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.Checks;
import dev.fusebox.OutcomeClassifier;
import dev.fusebox.micrometer.FuseboxMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
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
 *   <li>{@code GET /}: the console, a page over the endpoints below (docs/console.md)
 *   <li>{@code GET /api/events}: breaker changes and a summary a second, as Server-Sent Events
 *       (docs/api/events.md)
 *   <li>{@code GET /metrics}, {@code GET /api/metrics}: Prometheus text
 *   <li>{@code GET /health}: overall status and every breaker's state, failures and failure rate
 *   <li>{@code GET /api/breakers}, {@code GET /api/breakers/{key}} (404 if unknown),
 *       {@code GET /api/breakers/{key}/audit?limit=N}, {@code GET /api/audit?limit=N} (every breaker),
 *       {@code GET /api/breakers/{key}/history} (15 minutes, a sample a second) and
 *       {@code /trip-evidence}; {@code GET /api/whoami} (the user of a token)
 *   <li>{@code POST /api/breakers/{key}/trip}, {@code POST /api/breakers/{key}/reset}, body
 *       {@code {"reason": "...", "force": false}}, header {@code Authorization: Bearer TOKEN}; the
 *       audit records the token's user. A reset inside the cooldown is a 409 with
 *       {@code retryAfterMs}.
 * </ul>
 *
 * Every endpoint answers only requests whose {@code Host} is {@code localhost}, an IP address or
 * a name given to {@link Builder#allowedHosts}; others get a 421 (against DNS rebinding).
 *
 * <p>Runs on Jetty 12 (core, no servlets), bound to 127.0.0.1 unless told otherwise, in plain HTTP
 * or, given a {@linkplain Builder#tlsCertificate certificate} and {@linkplain Builder#tlsKey key},
 * HTTPS; bound elsewhere without TLS it logs a warning. Requests are parsed and their bodies read
 * without blocking a thread; a request must arrive, and its answer leave, within the
 * {@linkplain Builder#requestTimeout request timeout}, and one client holds at most its
 * {@linkplain Builder#maxConnectionsPerClient share} of connections, so slow or greedy clients
 * cannot starve the API. Health, metrics and status never wait behind requests that wait for the
 * store. Anything Jetty refuses before the API sees it (an unparsable URI, oversized headers) gets
 * the same JSON error body as the API's own errors. Thread-safe; {@link #close()} stops it.
 */
public final class AdminServer implements AutoCloseable {

    /** Largest accepted request body. */
    public static final int MAX_BODY_BYTES = 16 * 1024;
    /** Default port. */
    public static final int DEFAULT_PORT = 3000;
    /** Default tokens file, created with a token for {@code admin} if missing. */
    public static final Path DEFAULT_TOKENS_FILE = Path.of("data", "admin-tokens");

    private static final Logger LOG = LoggerFactory.getLogger("dev.fusebox.admin");

    /** Default of {@link Builder#maxConnections}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    /** Default of {@link Builder#maxConnectionsPerClient}. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 16;
    /** Default of {@link Builder#requestTimeout}. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Default of {@link Builder#maxEventStreams}. */
    public static final int DEFAULT_MAX_EVENT_STREAMS = 32;
    /** Default of {@link Builder#idleTimeout}. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final Server server;
    private final ServerConnector connector;
    private final Lanes lanes;
    private final ConnectionGuard guard;
    private final EventHub events;
    private final boolean tls;
    private final PrometheusMeterRegistry ownPrometheus;

    private AdminServer(Builder b) throws IOException {
        b.checkTogether();
        SslContextFactory.Server tlsContext = b.tlsCertificate == null ? null
                : TlsFiles.context(b.tlsCertificate, b.tlsKey);
        tls = tlsContext != null;
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
        ConsoleFiles files = new ConsoleFiles();
        History history = new History();
        events = new EventHub(b.breakers, history, new EventStreams(b.maxEventStreams,
                Math.min(b.maxEventStreams, Math.max(1, b.maxConnectionsPerClient / 2)), b.eventStreamBuffer));
        AdminApi api = new AdminApi(b.breakers, prometheus, tokens.tokens(), history);
        lanes = new Lanes(b.threads);

        // Jetty's own threads only accept, select and parse: they never wait for a client or the store.
        QueuedThreadPool io = new QueuedThreadPool(8, 2);
        io.setName("fusebox-admin-io");
        io.setDaemon(true);
        io.setReservedThreads(0);
        server = new Server(io);
        connector = Connectors.http11(server, tlsContext, b.bind, b.port, b.idleTimeout);
        guard = new ConnectionGuard(b.maxConnections, b.maxConnectionsPerClient, b.requestTimeout);
        connector.addEventListener(guard);
        server.addConnector(connector);
        server.setHandler(new ApiHandler(api, lanes, guard, new AllowedHosts(b.allowedHosts),
                new ApiHandler.Console(files, events)));
        server.setErrorHandler(new JsonErrorHandler(api));
        try {
            server.start();
        } catch (Exception e) {
            close();
            BindException bind = OutcomeClassifier.findCause(e, BindException.class);
            if (bind != null) {
                throw bind; // as the JDK reports it: "Address already in use", "Cannot assign requested address"
            }
            throw e instanceof IOException ioe ? ioe : new IOException("the admin server did not start: " + e, e);
        }
        if (!tls() && !address().getAddress().isLoopbackAddress()) {
            LOG.warn("[CIRCUIT_BREAKER] The admin API listens on " + address().getHostString() + ":" + port()
                    + " in plain HTTP: tokens and breaker state cross the network unencrypted. Give it a"
                    + " certificate (tlsCertificate and tlsKey; fusebox serve --tls-cert and --tls-key) or bind"
                    + " it to 127.0.0.1");
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

    /** Whether it serves HTTPS (a certificate and key were given) rather than plain HTTP. */
    public boolean tls() {
        return tls;
    }

    /** The address it listens on. */
    public InetSocketAddress address() {
        return new InetSocketAddress(connector.getHost(), port());
    }

    @Override
    public void close() {
        events.close(); // ends the event streams first, so that they end cleanly, not cut by the stop
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("[CIRCUIT_BREAKER] The admin server did not stop cleanly: " + e);
        }
        lanes.close();
        guard.close();
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
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerClient = DEFAULT_MAX_CONNECTIONS_PER_CLIENT;
        private int maxEventStreams = DEFAULT_MAX_EVENT_STREAMS;
        private long eventStreamBuffer = EventHub.MAX_QUEUED_BYTES;
        private List<String> allowedHosts = List.of();
        private Path tlsCertificate;
        private Path tlsKey;

        private Builder(CircuitBreakerRegistry breakers) {
            this.breakers = Objects.requireNonNull(breakers, "breakers");
        }

        /** @param value 0 (any free port) to 65535; default 3000 */
        public Builder port(int value) {
            port = Checks.range("port", value, 0, 65535);
            return this;
        }

        /**
         * The address to listen on; default 127.0.0.1 (loopback only). Any other address serves
         * the network: give it {@linkplain #tlsCertificate TLS} (without, the server logs a
         * warning), and name it in {@link #allowedHosts} if clients use a DNS name.
         */
        public Builder bind(String address) {
            bind = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * The tokens file, one {@code user:token} per line (tokens of 16 to 1024 printable ASCII
         * characters; blank lines and lines starting with {@code #} are skipped). Default
         * {@code ./data/admin-tokens}, created owner-only with a token for {@code admin} when
         * missing. It must be readable by its owner only ({@code chmod 600}) where the file system
         * has POSIX permissions, and is read strictly: a byte-order mark, white space or a
         * {@code #} in a {@code user:token} line, a user listed twice, or one token for two users
         * stops {@link #start()}, naming the line.
         */
        public Builder tokensFile(Path file) {
            tokensFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Host names that clients may put in the {@code Host} header (with any port), besides
         * {@code localhost} and IP addresses, which are always accepted; default none. A request
         * naming any other host is answered 421 {@code HOST_NOT_ALLOWED}, whatever the endpoint:
         * this stops DNS rebinding, where a web page points its own name at this server so that a
         * browser reads the API. Name the server here when clients reach it by a DNS name
         * ({@code admin.example.com}), for instance when it is bound to a non-loopback address.
         *
         * @param names DNS names (letters, digits, '-' and '.'), without scheme or port; replaces
         *     earlier ones
         * @throws IllegalArgumentException for anything else
         */
        public Builder allowedHosts(String... names) {
            List<String> checked = new ArrayList<>();
            for (String name : names) {
                checked.add(AllowedHosts.name(Objects.requireNonNull(name, "name")));
            }
            allowedHosts = List.copyOf(checked);
            return this;
        }

        /**
         * Serve HTTPS with the certificate chain in this PEM file: the server's certificate first,
         * then any intermediates, each {@code -----BEGIN CERTIFICATE-----}. Goes with
         * {@link #tlsKey}; default none (plain HTTP, which the server warns about when bound to
         * anything but loopback). TLS 1.2 and 1.3 only. Jetty answers 400 to a request whose Host
         * the certificate does not name, so the certificate should name every
         * {@linkplain #allowedHosts allowed host}.
         */
        public Builder tlsCertificate(Path pemFile) {
            tlsCertificate = Objects.requireNonNull(pemFile, "pemFile");
            return this;
        }

        /**
         * The private key of {@link #tlsCertificate}, in a PEM file holding it unencrypted in
         * PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}, what {@code openssl genpkey} and certbot
         * write): RSA, EC or EdDSA. An encrypted, PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1
         * ({@code BEGIN EC PRIVATE KEY}) key is refused with the {@code openssl pkcs8} command that
         * converts it. Where the file system has POSIX permissions the file may be readable by its
         * owner and its group (Debian's ssl-cert convention), never by others.
         */
        public Builder tlsKey(Path pemFile) {
            tlsKey = Objects.requireNonNull(pemFile, "pemFile");
            return this;
        }

        /** Serve this registry's metrics instead of creating one bound to the breakers. */
        public Builder prometheus(PrometheusMeterRegistry registry) {
            prometheus = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Threads for the requests that wait for the store (trip, reset), 1 to 64; default 4.
         * Up to four requests per thread wait for one; more are answered 503 {@code BUSY} at once,
         * so a store outage fills this lane, not the callers' sockets. Audit reads run on two
         * threads of their own, health and status on two more, metrics scrapes on one, and none
         * queues behind another.
         */
        public Builder threads(int value) {
            threads = Checks.range("threads", value, 1, 64);
            return this;
        }

        /**
         * How long a connection may stay silent (between requests, or in the middle of one) before
         * it is closed, 1 ms to 1 h; default 30 s. A keep-alive connection waits this long for its
         * next request.
         */
        public Builder idleTimeout(Duration value) {
            // Jetty counts milliseconds, and takes 0 for "never".
            idleTimeout = Checks.range("idleTimeout", value, Duration.ofMillis(1), Duration.ofHours(1));
            return this;
        }

        /**
         * How long a request may take to arrive whole, headers and body, from its first byte (for a
         * connection's first request: from the connect), and its answer to leave, from its first
         * byte, 10 ms to 1 h; default 10 s. Past it the connection is closed, however steadily the
         * bytes trickle: the idle timeout alone lets a client that sends one header line (or reads
         * a few bytes) every few seconds hold a connection for ever. nginx's
         * {@code client_header_timeout} is the same idea (60 s there, for clients on slow links; an
         * admin API's requests are a few hundred bytes and its answers rarely a megabyte). Checked
         * about ten times per timeout, so a connection is closed at most a tenth of it late. The time
         * the server takes to work out an answer (a trip waiting for the store) does not count.
         */
        public Builder requestTimeout(Duration value) {
            requestTimeout = Checks.range("requestTimeout", value, Duration.ofMillis(10), Duration.ofHours(1));
            return this;
        }

        /**
         * Most connections open at once, 1 to 10,000; default 256. A connection past the limit
         * closes the connection that has waited longest for its request (idle keep-alive
         * connections first); connections whose request is being answered are never closed, and
         * when all are, the new connection is. Each connection holds a file descriptor and a few
         * KiB of buffers, a thread only while it is answered, so the limit keeps the admin API
         * from taking the descriptors the service needs: 256 is a small part of a typical
         * {@code ulimit -n} (1,024 by default on Linux, 20,000 on the machine the tests run on),
         * and plenty for operators, health checkers and scrapers. nginx's {@code worker_connections}
         * defaults to 512 for a whole web server.
         */
        public Builder maxConnections(int value) {
            maxConnections = Checks.range("maxConnections", value, 1, 10_000);
            return this;
        }

        /**
         * Most connections one client (one remote IP address) may hold at once, 1 to
         * {@link #maxConnections}; default 16, like an nginx {@code limit_conn} zone keyed by
         * address. A client past its share loses its own connection that has waited longest for
         * its request, so one client cannot crowd out the others. Clients behind one proxy or NAT
         * address share one share.
         */
        public Builder maxConnectionsPerClient(int value) {
            maxConnectionsPerClient = Checks.range("maxConnectionsPerClient", value, 1, 10_000);
            return this;
        }

        /**
         * Most {@code GET /api/events} streams open at once, 1 to 1,000; default 32. One client
         * address holds at most half its {@linkplain #maxConnectionsPerClient connection share}
         * (8 by default), so its streams never take the connections its API requests need. A
         * stream past either limit is answered 503 {@code TOO_MANY_STREAMS}. Streams hold a
         * connection each, never a thread, and are not cut by the request timeout.
         */
        public Builder maxEventStreams(int value) {
            maxEventStreams = Checks.range("maxEventStreams", value, 1, 1000);
            return this;
        }

        /** How far one event stream may fall behind before it is dropped; for tests. */
        Builder eventStreamBuffer(long bytes) {
            eventStreamBuffer = bytes;
            return this;
        }

        /** The checks that span settings. */
        private void checkTogether() {
            if (maxConnectionsPerClient > maxConnections) {
                throw new IllegalArgumentException("maxConnectionsPerClient must be <= maxConnections ("
                        + maxConnections + "), but was " + maxConnectionsPerClient);
            }
            if ((tlsCertificate == null) != (tlsKey == null)) {
                throw new IllegalArgumentException("tlsCertificate and tlsKey go together, but only "
                        + (tlsKey == null ? "tlsCertificate" : "tlsKey") + " was given");
            }
        }

        /**
         * Starts the server.
         *
         * @throws BindException if the address cannot be bound (the port is taken, or the address is not local)
         * @throws IOException if the tokens file cannot be read or created
         * @throws IllegalArgumentException if the tokens file may be read by group or others, or is
         *     malformed (the message names the line); if the TLS files cannot be used (the message
         *     says why); if {@code maxConnectionsPerClient} is above {@code maxConnections}, or only
         *     one of {@code tlsCertificate} and {@code tlsKey} is given
         */
        public AdminServer start() throws IOException {
            return new AdminServer(this);
        }
    }
}
