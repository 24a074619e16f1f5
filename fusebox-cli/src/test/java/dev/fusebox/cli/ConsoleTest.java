package dev.fusebox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive console, fed lines as a person would type them, over a real SQLite store. */
class ConsoleTest {

    @TempDir
    Path dir;

    private Console console() {
        Console console = new Console();
        console.target = new Target();
        console.target.db = dir.resolve("circuit_breaker.db").toString();
        console.target.user = "tester";
        return console;
    }

    private String type(Console console, String... lines) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String input = String.join("\n", lines) + "\n";
        int code = console.run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, false);
        assertThat(code).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runsTheSameCommandsAgainstTheStore() throws Exception {
        String out = type(console(),
                "trip draftkings --reason \"Scheduled maintenance window\"",
                "is-tripped draftkings",
                "status draftkings",
                "reset draftkings --reason \"too soon\"",
                "reset draftkings --reason cleared --force",
                "audit draftkings",
                "status-all",
                "exit");

        assertThat(out).contains(
                "TRIPPED draftkings by tester: Scheduled maintenance window",
                "yes",
                "draftkings: OPEN",
                "Reset denied: draftkings",
                "(exit 3)",
                "RESET draftkings by tester: cleared (FORCED)",
                "FORCED_RESET",
                "draftkings               CLOSED");
    }

    @Test
    void explainsBadInputAndKeepsGoing() throws Exception {
        String out = type(console(), "bogus", "trip", "serve", "help", "status-all");

        assertThat(out).contains("unknown command 'bogus'", "Missing required options", "(try: fusebox trip --help)",
                "(exit 2)", "runs on its own",
                "Commands (each also takes --help)", "No breakers.");
    }

    @Test
    void completesCommandsAndKnownKeys() throws Exception {
        try (Terminal terminal = TerminalBuilder.builder().system(false).dumb(true)
                .streams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream()).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).build();
            var completer = Console.completer(() -> List.of("draftkings", "fanduel"));
            DefaultParser parser = new DefaultParser();

            List<Candidate> commands = new ArrayList<>();
            completer.complete(reader, parser.parse("res", 3), commands);
            List<Candidate> keys = new ArrayList<>();
            completer.complete(reader, parser.parse("reset dra", 9), keys);
            List<Candidate> none = new ArrayList<>();
            completer.complete(reader, parser.parse("status-all dra", 14), none);

            assertThat(commands).extracting(Candidate::value).contains("reset", "status", "trip", "audit");
            assertThat(keys).extracting(Candidate::value).containsExactly("draftkings", "fanduel");
            assertThat(none).isEmpty();
        }
    }
}
