package dev.fusebox.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's quick start is this module's compiled QuickStart, and it does what the README says. */
class ReadmeTest {

    private static final Path MODULE = Path.of("").toAbsolutePath();

    @Test
    void readmeShowsTheCompiledQuickStart() throws Exception {
        String source = Files.readString(MODULE.resolve("src/test/java/dev/fusebox/examples/QuickStart.java"));
        String snippet = source.substring(source.indexOf("// README:begin") + "// README:begin".length(),
                source.indexOf("    // README:end"));
        String readme = Files.readString(MODULE.resolveSibling("README.md"));

        assertThat(normalize(readme)).contains(normalize(snippet));
    }

    @Test
    void quickStartTripsAfterTenFailures() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            QuickStart.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);

        assertThat(printed.lines().filter(l -> l.startsWith("upstream failed"))).hasSize(10);
        assertThat(printed.lines().filter(l -> l.startsWith("tripped, not calling"))).hasSize(2);
        assertThat(printed).contains("tripped=true", "failures=10.0");
    }

    /** Strips the class-body indentation so the README can show the code flush left. */
    private static String normalize(String text) {
        return Arrays.stream(text.split("\n")).map(String::strip).filter(l -> !l.isEmpty())
                .collect(Collectors.joining("\n"));
    }
}
