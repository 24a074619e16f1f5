package dev.fusebox.cli;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.admin.AdminServer;
import dev.fusebox.notify.AlertNotifier;
import dev.fusebox.notify.AlertNotifierBuilder;
import dev.fusebox.store.jdbc.JdbcBreakerStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code fusebox serve}: the standalone control plane. Admin API, health and metrics for every
 * breaker in a store, following the changes other processes (services, the console) make to it.
 * Runs until interrupted (Ctrl-C or SIGTERM), then closes cleanly.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the console, the admin API, health and metrics for every breaker in a store.")
final class Serve implements Callable<Integer> {

    @Option(names = "--db", paramLabel = "FILE|URL", defaultValue = Target.DEFAULT_DB,
            description = "SQLite file or jdbc: URL of the store (default: ${DEFAULT-VALUE})")
    String db;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "3000", description = "Port, 0 for any free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, loopback only)")
    String bind;

    @Option(names = "--tokens", paramLabel = "FILE", defaultValue = "data/admin-tokens",
            description = "Tokens file, one user:token per line, readable by its owner only; created with a token for admin if missing (default: ${DEFAULT-VALUE})")
    Path tokens;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "Serve HTTPS with this PEM certificate chain (the server's certificate first); needs --tls-key")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "The certificate's private key: PEM, unencrypted PKCS#8 (-----BEGIN PRIVATE KEY-----), RSA, EC or EdDSA, not readable by others")
    Path tlsKey;

    @Option(names = "--allowed-host", paramLabel = "HOST",
            description = "A host name clients use for this server (repeatable); localhost and IP addresses are always answered, requests naming other hosts get 421")
    List<String> allowedHosts = new ArrayList<>();

    @Option(names = "--slack-webhook", paramLabel = "URL", defaultValue = "${env:FUSEBOX_SLACK_WEBHOOK}",
            description = "Post every trip, reset and recovery to this Slack incoming webhook (default: $FUSEBOX_SLACK_WEBHOOK)")
    URI slackWebhook;

    @Option(names = "--pagerduty-routing-key", paramLabel = "KEY", defaultValue = "${env:FUSEBOX_PAGERDUTY_ROUTING_KEY}",
            description = "Page PagerDuty (Events API v2) for breakers tripped longer than --page-after, resolve when they close (default: $FUSEBOX_PAGERDUTY_ROUTING_KEY)")
    String pagerDutyRoutingKey;

    @Option(names = "--pagerduty-url", paramLabel = "URL",
            description = "PagerDuty Events API v2 endpoint (default: " + "https://events.pagerduty.com/v2/enqueue)")
    URI pagerDutyUrl;

    @Option(names = "--page-after", paramLabel = "DURATION", defaultValue = "5m",
            description = "How long a breaker must stay tripped before PagerDuty is paged: 300, 300s, 5m or PT5M (default: ${DEFAULT-VALUE}, as the CircuitBreakerTripped alert)")
    Duration pageAfter;

    @Option(names = "--verbose", description = "Print stack traces of errors")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new CliException(CliException.USAGE, "--tls-cert and --tls-key go together");
        }
        AlertNotifier notifier = notifier(); // bad notification options fail before anything starts
        JdbcBreakerStore store;
        try {
            store = JdbcBreakerStore.open(db);
        } catch (IllegalArgumentException e) {
            if (notifier != null) {
                notifier.close();
            }
            throw new CliException(CliException.UNREACHABLE, "cannot open the store at " + db + ": " + e.getMessage(), e);
        }
        CountDownLatch stop = new CountDownLatch(1);
        // The notifier closes before the shutdown hook is released, so that its queue is sent.
        try (GracefulShutdown shutdown = new GracefulShutdown("fusebox-serve-shutdown", stop::countDown);
             AlertNotifier notifications = notifier;
             // A control plane shows every stored breaker: none is dropped for being idle.
             CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder().store(store)
                     .maxBreakers(10_000_000).idleTimeout(Duration.ZERO)
                     .loadSampleInterval(Duration.ofSeconds(1)).build();
             AdminServer server = admin(registry).start()) {
            out.printf("Fusebox control plane listening on %s://%s:%d (store: %s, tokens: %s); the console is at /%n",
                    server.tls() ? "https" : "http", server.address().getHostString(), server.port(), db,
                    tokens.toAbsolutePath());
            if (!server.tls() && !server.address().getAddress().isLoopbackAddress()) {
                PrintWriter err = spec.commandLine().getErr();
                err.printf("fusebox: warning: serving plain HTTP on %s: tokens and breaker state cross the network"
                        + " unencrypted; add --tls-cert and --tls-key, or --bind 127.0.0.1%n", bind);
                err.flush();
            }
            if (notifications != null) {
                notifications.bindTo(registry);
                List<String> to = new ArrayList<>();
                if (slackWebhook != null) {
                    to.add("Slack");
                }
                if (pagerDutyRoutingKey != null) {
                    to.add("PagerDuty after " + pageAfter.toSeconds() + " s tripped");
                }
                out.printf("Notifications: %s%n", String.join(", ", to));
            }
            out.flush();
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } catch (java.net.BindException e) {
            throw new CliException(CliException.USAGE, "cannot listen on " + bind + ":" + port + ": " + e.getMessage(), e);
        }
        return 0;
    }

    /** The admin server the options ask for, over {@code registry}. */
    private AdminServer.Builder admin(CircuitBreakerRegistry registry) {
        AdminServer.Builder b = AdminServer.builder(registry).port(port).bind(bind).tokensFile(tokens)
                .allowedHosts(allowedHosts.toArray(String[]::new));
        if (tlsCert != null) {
            b.tlsCertificate(tlsCert).tlsKey(tlsKey);
        }
        return b;
    }

    /** The notifier the options ask for, not yet bound, or null when none is configured. */
    private AlertNotifier notifier() {
        if (pagerDutyUrl != null && pagerDutyRoutingKey == null) {
            throw new CliException(CliException.USAGE, "--pagerduty-url needs --pagerduty-routing-key");
        }
        if (slackWebhook == null && pagerDutyRoutingKey == null) {
            return null;
        }
        try {
            AlertNotifierBuilder b = AlertNotifier.builder().pageAfter(pageAfter);
            if (slackWebhook != null) {
                b.slackWebhook(slackWebhook);
            }
            if (pagerDutyRoutingKey != null) {
                b.pagerDutyRoutingKey(pagerDutyRoutingKey);
                if (pagerDutyUrl != null) {
                    b.pagerDutyUrl(pagerDutyUrl);
                }
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, e.getMessage(), e);
        }
    }
}
