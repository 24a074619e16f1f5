package dev.fusebox.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.CircuitOpenException;
import dev.fusebox.StoreHealth;
import dev.fusebox.event.Cause;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A few random bytes over the page of the state table of a file holding 30 tripped breakers:
 * the state cannot be trusted, so nothing is assumed closed.
 */
class DamagedFileTest {

    @TempDir
    Path dir;

    @Test
    void aDamagedFileIsAnErrorNotAnEmptyStore() throws Exception {
        Path file = dir.resolve("circuit_breaker.db");
        DamagedFiles.thirtyTrippedThenDamaged(file);

        try (JdbcBreakerStore store = JdbcBreakerStore.sqlite(file)) {
            assertThatThrownBy(store::loadAll).hasMessageContaining("damaged").hasMessageContaining("quick_check");
        }
    }

    @Test
    void aServiceStartingOnADamagedFileCallsNoUpstreamAndSaysWhy() throws Exception {
        Path file = dir.resolve("circuit_breaker.db");
        DamagedFiles.thirtyTrippedThenDamaged(file);

        try (CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder().store(JdbcBreakerStore.sqlite(file))
                .build()) {
            for (int i = 0; i < 30; i++) {
                String key = "bookmaker-" + i;
                assertThatThrownBy(() -> registry.call(key, () -> "called", dev.fusebox.CallContext.DEFAULT))
                        .isInstanceOfSatisfying(CircuitOpenException.class,
                                e -> assertThat(e.getMessage()).contains("state unknown", "damaged"));
                assertThat(registry.isTripped(key)).isTrue();
                assertThat(registry.status(key).orElseThrow().tripCause()).isEqualTo(Cause.STATE_UNKNOWN);
            }
            assertThat(registry.storeHealth().status()).isEqualTo(StoreHealth.Status.FAILED);
            assertThat(registry.storeHealth().problem()).contains("damaged");
        }
    }
}
