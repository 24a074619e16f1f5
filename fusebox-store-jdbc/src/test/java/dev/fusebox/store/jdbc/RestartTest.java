package dev.fusebox.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.BreakerStatus;
import dev.fusebox.CallContext;
import dev.fusebox.CircuitBreakerRegistry;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A new registry over the same database sees trips, trip counts, last errors and reset data. */
class RestartTest {

    @TempDir
    static Path dir;

    static Stream<String> databases() throws Exception {
        return Stream.of(SqliteFiles.url(dir.resolve("restart.db")), PostgresServer.freshDatabase());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aNewProcessSeesWhatTheLastOneLeft(String url) throws Exception {
        try (CircuitBreakerRegistry first = CircuitBreakerRegistry.builder()
                .store(JdbcBreakerStore.builder(url).build()).build()) {
            first.trip("draftkings", "Scheduled maintenance window", "alice");
            for (int i = 0; i < 10; i++) {
                try {
                    first.call("fanduel", () -> {
                        throw new IllegalStateException("502 Bad Gateway");
                    }, CallContext.DEFAULT);
                } catch (IllegalStateException expected) {
                    // counted
                }
            }
            first.trip("betmgm", "test", "carol");
            first.reset("betmgm", "API team cleared incident", "dave", true);
        }

        try (CircuitBreakerRegistry second = CircuitBreakerRegistry.builder()
                .store(JdbcBreakerStore.builder(url).build()).build()) {
            BreakerStatus draftkings = second.status("draftkings").orElseThrow();
            BreakerStatus fanduel = second.status("fanduel").orElseThrow();
            BreakerStatus betmgm = second.status("betmgm").orElseThrow();
            assertThat(draftkings.tripped()).isTrue();
            assertThat(draftkings.trippedBy()).isEqualTo("alice");
            assertThat(fanduel.tripped()).isTrue();
            assertThat(fanduel.tripCount()).isEqualTo(1);
            assertThat(fanduel.lastError()).isEqualTo("502 Bad Gateway");
            assertThat(fanduel.failures()).isEqualTo(10.0);
            assertThat(betmgm.tripped()).isFalse();
            assertThat(betmgm.tripCount()).isEqualTo(1);
            assertThat(betmgm.lastResetBy()).isEqualTo("dave");
            assertThat(betmgm.lastResetReason()).isEqualTo("API team cleared incident");
            assertThat(second.audit(null, 10)).hasSize(4);
        }
    }
}
