package dev.fusebox.cli;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.admin.AdminServer;
import dev.fusebox.store.jdbc.JdbcBreakerStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
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
        description = "Serve the admin API, health and metrics for every breaker in a store.")
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
            description = "Tokens file, one user:token per line; created with a token for admin if missing (default: ${DEFAULT-VALUE})")
    Path tokens;

    @Option(names = "--verbose", description = "Print stack traces of errors")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        JdbcBreakerStore store;
        try {
            store = JdbcBreakerStore.open(db);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.UNREACHABLE, "cannot open the store at " + db + ": " + e.getMessage(), e);
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (GracefulShutdown shutdown = new GracefulShutdown("fusebox-serve-shutdown", stop::countDown);
             CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder().store(store)
                     .loadSampleInterval(Duration.ofSeconds(1)).build();
             AdminServer server = AdminServer.builder(registry).port(port).bind(bind).tokensFile(tokens).start()) {
            out.printf("Fusebox control plane listening on http://%s:%d (store: %s, tokens: %s)%n",
                    server.address().getHostString(), server.port(), db, tokens.toAbsolutePath());
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
}
