package dev.fusebox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.spi.AuditAction;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.store.jdbc.JdbcBreakerStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo, run for its shortest duration: a simulated upstream really fails and its breaker
 * really trips, the state lands in the SQLite file, and the run ends with a summary. The fanduel
 * upstream fails from 5 s on and the demo calls it dozens of times a second, so 12 s leave a wide
 * margin for a slow machine.
 */
class DemoTest {

    @TempDir
    Path dir;

    @Test
    void breakersTripBecauseTheSimulatedUpstreamsFail() throws Exception {
        Path db = dir.resolve("circuit_breaker.db");

        CommandsTest.Result r = CommandsTest.fusebox("demo", "--duration", "12", "--port", "0", "--plain",
                "--db", db.toString(), "--tokens", dir.resolve("tokens").toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().limit(2)).as("the console's address comes first")
                .anySatisfy(line -> assertThat(line).containsPattern("Console: http://127\\.0\\.0\\.1:\\d+/"));
        assertThat(r.out()).containsPattern("Summary \\(the console was at http://127\\.0\\.0\\.1:\\d+/\\)");
        assertThat(r.out()).contains("Fusebox demo", "Summary", "./fusebox status-all")
                .containsPattern("t= *\\d+s  load \\d\\.\\d\\d")
                .containsPattern("fanduel +OPEN +calls");
        try (CircuitBreakerRegistry after = CircuitBreakerRegistry.builder().store(JdbcBreakerStore.sqlite(db)).build()) {
            assertThat(after.isTripped("fanduel")).isTrue();
            assertThat(after.isTripped("draftkings")).isFalse();
            assertThat(after.status("fanduel").orElseThrow().lastError()).contains("500");
            assertThat(after.audit("fanduel", 10)).extracting(AuditRecord::action).contains(AuditAction.AUTO_TRIP);
        }
    }

    @Test
    void refusesADurationOutOfRange() {
        assertThat(CommandsTest.fusebox("demo", "--duration", "1", "--db", dir.resolve("x.db").toString()).code())
                .isEqualTo(2);
    }
}
