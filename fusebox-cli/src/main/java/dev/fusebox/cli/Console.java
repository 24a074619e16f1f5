package dev.fusebox.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code fusebox console}: an interactive shell with the same commands, against the same target
 * ({@code --db} or {@code --url}, given once when the console starts). History is kept in
 * {@code ~/.fusebox_history}; Tab completes commands and the keys of known breakers.
 */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = "Interactive shell: status-all, status KEY, trip KEY, reset KEY [--force], is-tripped KEY, audit [KEY], help.")
final class Console implements Callable<Integer> {

    static final List<String> COMMANDS = List.of("status-all", "status", "trip", "reset", "is-tripped", "audit", "help",
            "exit");
    private static final Set<String> NOT_IN_CONSOLE = Set.of("console", "serve", "demo");

    @Mixin
    Target target;

    /** Keys for Tab completion, read when the console starts and after each command, not on each Tab. */
    private volatile List<String> keys = List.of();

    @Override
    public Integer call() throws IOException {
        return run(System.in, System.out, true);
    }

    /**
     * Runs the shell until {@code exit} or end of input; returns 0. On a terminal it edits lines
     * with JLine (history, Tab completion); from a pipe it reads plain lines, so that scripts can
     * drive it too.
     */
    int run(InputStream in, OutputStream out, boolean system) throws IOException {
        if (system && System.console() != null) {
            return interactive();
        }
        PrintWriter writer = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        DefaultParser parser = new DefaultParser();
        banner(writer);
        String line;
        while (true) {
            writer.print("fusebox> ");
            writer.flush();
            if ((line = lines.readLine()) == null || !handle(parser.parse(line, 0).words(), writer)) {
                break;
            }
        }
        writer.println();
        writer.flush();
        return 0;
    }

    private int interactive() throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).encoding(StandardCharsets.UTF_8).build()) {
            PrintWriter writer = terminal.writer();
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("fusebox")
                    .parser(new DefaultParser())
                    .completer(completer(() -> keys))
                    .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".fusebox_history"))
                    .build();
            banner(writer);
            keys = knownKeys();
            while (true) {
                String line;
                try {
                    line = reader.readLine("fusebox> ");
                } catch (UserInterruptException ctrlC) {
                    continue;
                } catch (EndOfFileException ctrlD) {
                    break;
                }
                if (!handle(reader.getParser().parse(line, 0).words(), writer)) {
                    break;
                }
                keys = knownKeys(); // the command may have created or changed breakers
            }
            writer.flush();
        }
        return 0;
    }

    private void banner(PrintWriter writer) {
        writer.println("Fusebox console on " + (target.url != null ? target.url : target.db)
                + ". Tab completes; 'help' lists the commands; 'exit' or Ctrl-D leaves.");
    }

    /** Runs one line; false when the console should end. */
    private boolean handle(List<String> parsed, PrintWriter writer) {
        List<String> words = new ArrayList<>(parsed);
        words.removeIf(String::isEmpty);
        if (words.isEmpty()) {
            return true;
        }
        String command = words.get(0);
        if (command.equals("exit") || command.equals("quit")) {
            return false;
        }
        if (command.equals("help")) {
            help(writer);
        } else if (NOT_IN_CONSOLE.contains(command)) {
            writer.println("fusebox: '" + command + "' runs on its own, not inside the console");
        } else if (!COMMANDS.contains(command)) {
            writer.println("fusebox: unknown command '" + command + "'; 'help' lists the commands");
        } else {
            int code = FuseboxCli.run(writer, writer, withTarget(words).toArray(String[]::new));
            if (code > 1) {
                writer.println("(exit " + code + ")");
            }
        }
        writer.flush();
        return true;
    }

    /** The words, plus the console's target options unless the line gives its own. */
    List<String> withTarget(List<String> words) {
        List<String> args = new ArrayList<>(words);
        if (args.contains("--help") || args.contains("-h") || args.contains("--db") || args.contains("--url")) {
            return args;
        }
        if (target.url != null) {
            args.add("--url");
            args.add(target.url);
            if (target.token != null) {
                args.add("--token");
                args.add(target.token);
            }
        } else {
            args.add("--db");
            args.add(target.db);
            if (target.user != null) {
                args.add("--user");
                args.add(target.user);
            }
        }
        return args;
    }

    private List<String> knownKeys() {
        try (Backend backend = target.open()) {
            return backend.statusAll().stream().map(dev.fusebox.BreakerStatus::key).toList();
        } catch (RuntimeException unreachable) {
            return List.of();
        }
    }

    /** Commands in the first word; breaker keys in the second, for the commands that take one. */
    static Completer completer(Supplier<List<String>> keys) {
        return (reader, line, candidates) -> {
            if (line.wordIndex() == 0) {
                COMMANDS.forEach(c -> candidates.add(new Candidate(c)));
            } else if (line.wordIndex() == 1 && List.of("status", "trip", "reset", "is-tripped", "audit")
                    .contains(line.words().get(0))) {
                keys.get().forEach(k -> candidates.add(new Candidate(k)));
            }
        };
    }

    private static void help(PrintWriter w) {
        w.println("Commands (each also takes --help):");
        w.println("  status-all [--json]                      every breaker");
        w.println("  status KEY [--json]                      one breaker");
        w.println("  trip KEY --reason TEXT                   trip now; stays open until reset");
        w.println("  reset KEY --reason TEXT [--force]        close; refused within the cooldown unless --force");
        w.println("  is-tripped KEY                           yes or no");
        w.println("  audit [KEY] [--limit N] [--json]         who did what, newest first");
        w.println("  exit                                     leave (or Ctrl-D)");
    }
}
