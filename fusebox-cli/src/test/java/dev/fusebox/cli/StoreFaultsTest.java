package dev.fusebox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusebox.store.jdbc.DamagedFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command and {@code serve} over a store whose state cannot be read: an error with its cause
 * (exit 4), never "no breakers" or "not tripped"; and a server that says the store failed.
 */
class StoreFaultsTest {

    @TempDir
    Path dir;

    @Test
    void everyCommandOverADamagedFileExitsFourWithTheCause() throws Exception {
        Path db = dir.resolve("circuit_breaker.db");
        DamagedFiles.thirtyTrippedThenDamaged(db);

        for (String[] command : new String[][] {
            {"is-tripped", "bookmaker-3"}, {"status-all"}, {"status", "bookmaker-3"},
            {"trip", "bookmaker-40", "--reason", "maintenance"}, {"reset", "bookmaker-3", "--reason", "done"}}) {
            String[] args = new String[command.length + 2];
            System.arraycopy(command, 0, args, 0, command.length);
            args[command.length] = "--db";
            args[command.length + 1] = db.toString();

            CommandsTest.Result r = CommandsTest.fusebox(args);

            assertThat(r.code()).as(String.join(" ", command) + ": " + r.out() + r.err()).isEqualTo(CliException.UNREACHABLE);
            assertThat(r.err()).contains("cannot read the store", "damaged").doesNotContain("Exception");
            assertThat(r.out()).doesNotContain("No breakers", "no");
        }
    }

    @Test
    void serveOverADamagedFileReportsTheStoreFailedAndRefusesActions() throws Exception {
        Path db = dir.resolve("circuit_breaker.db");
        DamagedFiles.thirtyTrippedThenDamaged(db);

        try (RunningServe serve = RunningServe.start(db, dir.resolve("tokens"))) {
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + serve.port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = new ObjectMapper().readTree(health.body());

            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(body.get("status").asText()).isEqualTo("failed");
            assertThat(body.at("/store/status").asText()).isEqualTo("failed");
            assertThat(body.at("/store/problem").asText()).contains("damaged");
        }
    }

    @Test
    void anUnreachableUrlIsSaidInWords() {
        CommandsTest.Result r = CommandsTest.fusebox("status-all", "--url", "http://127.0.0.1:1");

        assertThat(r.code()).isEqualTo(CliException.UNREACHABLE);
        assertThat(r.err()).contains("cannot reach the admin API at http://127.0.0.1:1/: connection refused")
                .doesNotContain("java.net", "Exception");
    }

    @Test
    void keysThatDoNotPrintAsThemselvesAreAUsageError() {
        CommandsTest.Result r = CommandsTest.fusebox("trip", "draft\u200Bkings", "--reason", "x", "--db",
                dir.resolve("db").toString());

        assertThat(r.code()).isEqualTo(CliException.USAGE);
        assertThat(r.err()).contains("U+200B");
    }

    @Test
    void durationsAcceptSecondsUnitsAndIsoForms() {
        DurationConverter convert = new DurationConverter();
        assertThat(convert.convert("30")).hasSeconds(30);
        assertThat(convert.convert("30s")).hasSeconds(30);
        assertThat(convert.convert("5m")).hasMinutes(5);
        assertThat(convert.convert("PT30S")).hasSeconds(30);
        assertThat(convert.convert("500ms")).hasMillis(500);

        CommandsTest.Result tooShort = CommandsTest.fusebox("demo", "--duration", "PT2S");
        CommandsTest.Result notADuration = CommandsTest.fusebox("demo", "--duration", "soon");

        assertThat(tooShort.code()).isEqualTo(CliException.USAGE);
        assertThat(tooShort.err()).contains("--duration must be from 5s to 1h, but was 2s");
        assertThat(notADuration.code()).isEqualTo(CliException.USAGE);
        assertThat(notADuration.err()).contains("'soon' is not a duration");
    }
}
