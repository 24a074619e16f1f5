package dev.fusebox.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code fusebox} command. Exit codes: 0 done; 1 {@code is-tripped} answered no; 2 bad usage
 * or input; 3 reset refused by the cooldown; 4 the store or the admin API cannot be reached.
 * Errors go to stderr in one line; {@code --verbose} adds the stack trace.
 */
@Command(name = "fusebox", mixinStandardHelpOptions = true, version = "fusebox 0.1.0-SNAPSHOT",
        description = "Circuit breaker operations: status, trip, reset and audit, against a store (--db) or a running admin API (--url).",
        subcommands = {Commands.StatusAll.class, Commands.Status.class, Commands.Trip.class, Commands.Reset.class,
                Commands.IsTripped.class, Commands.Audit.class, Serve.class, DemoCommand.class, Console.class,
                CommandLine.HelpCommand.class})
public final class FuseboxCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Entry point of the runnable jar. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(out, err, args));
    }

    /** Runs a command with the given writers and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new FuseboxCli());
        cl.registerConverter(java.time.Duration.class, new DurationConverter());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("--verbose")
                    || parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--verbose");
            int code = ex instanceof CliException c ? c.exitCode
                    : ex instanceof IllegalArgumentException ? CliException.USAGE : CliException.UNREACHABLE;
            commandLine.getErr().println("fusebox: " + oneLine(ex));
            if (verbose) {
                ex.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return code;
        });
        cl.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine failed = ex.getCommandLine();
            failed.getErr().println("fusebox: " + oneLine(ex) + " (try: fusebox "
                    + (failed == cl ? "" : failed.getCommandName() + " ") + "--help)");
            failed.getErr().flush();
            return CliException.USAGE;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
