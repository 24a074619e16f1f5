package dev.fusebox.cli;

import dev.fusebox.cli.demo.Demo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code fusebox demo}: the main job. See {@link Demo}. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Simulated bookmakers failing in different ways, Fusebox breakers in front of them, a live table, the console, the admin API and metrics.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "3000", paramLabel = "PORT",
            description = "Console, admin API and metrics port, 0 for any free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--db", defaultValue = Target.DEFAULT_DB, paramLabel = "FILE",
            description = "SQLite file for the breaker state (default: ${DEFAULT-VALUE})")
    Path db;

    @Option(names = "--duration", defaultValue = "60s", paramLabel = "DURATION",
            description = "How long to run, 5s to 1h: 60, 60s, 2m or PT1M (default: ${DEFAULT-VALUE}); Ctrl-C ends it earlier")
    Duration duration;

    @Option(names = "--tokens", defaultValue = "data/admin-tokens", paramLabel = "FILE",
            description = "Admin API tokens file (default: ${DEFAULT-VALUE}, created if missing)")
    Path tokens;

    @Option(names = "--plain", description = "Print plain lines even on a terminal")
    boolean plain;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (duration.compareTo(Duration.ofSeconds(5)) < 0 || duration.compareTo(Duration.ofHours(1)) > 0) {
            throw new CliException(CliException.USAGE, "--duration must be from 5s to 1h, but was "
                    + duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT));
        }
        boolean terminal = !plain && System.console() != null;
        Demo demo = new Demo(spec.commandLine().getOut(), new Demo.Setup(db, port, tokens, duration), terminal);
        // Ctrl-C lets the demo print its summary and close the store before the JVM exits.
        try (GracefulShutdown shutdown = new GracefulShutdown("fusebox-demo-shutdown", demo::stop)) {
            return demo.run();
        } catch (java.net.BindException e) {
            throw new CliException(CliException.USAGE, "port " + port + " is in use: try --port 0 or another port", e);
        }
    }
}
