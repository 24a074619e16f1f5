package dev.fusebox.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.ResetDeniedException;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import dev.fusebox.spi.BreakerStore;
import dev.fusebox.spi.CommitResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's trip, reset and denied reset are committed by the thread that makes them, before
 * the call returns: not by the background writer, which could lose them in a crash. Unlike
 * {@link KillNineTest}, this does not depend on when a process dies.
 */
class DurableBeforeAcknowledgedTest {

    @TempDir
    Path dir;

    /** Which thread wrote what. */
    private record Write(String thread, String what) {
    }

    @Test
    void operatorActionsAreCommittedOnTheCallersThreadBeforeTheyReturn() throws Exception {
        Path file = dir.resolve("durable.db");
        List<Write> writes = new CopyOnWriteArrayList<>();
        BreakerStore recording = recording(JdbcBreakerStore.sqlite(file), writes);
        String me = Thread.currentThread().getName();

        try (CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder().store(recording).build()) {
            registry.trip("draftkings", "maintenance", "alice");
            assertThat(writes).as("written by the caller before trip returned")
                    .contains(new Write(me, "append draftkings TRIP"), new Write(me, "commit draftkings OPEN"));
            assertThat(rows(file, "SELECT action FROM circuit_breaker_audit WHERE bookmaker = 'draftkings'"))
                    .containsExactly("TRIP");
            assertThat(rows(file, "SELECT state FROM circuit_breaker_state WHERE bookmaker = 'draftkings'"))
                    .containsExactly("OPEN");

            writes.clear();
            assertThatThrownBy(() -> registry.reset("draftkings", "too soon", "bob", false))
                    .isInstanceOf(ResetDeniedException.class);
            assertThat(writes).contains(new Write(me, "append draftkings RESET_DENIED"));

            writes.clear();
            registry.reset("draftkings", "incident over", "bob", true);
            assertThat(writes).contains(new Write(me, "append draftkings FORCED_RESET"),
                    new Write(me, "commit draftkings CLOSED"));
            assertThat(rows(file, "SELECT action FROM circuit_breaker_audit WHERE bookmaker = 'draftkings' ORDER BY id"))
                    .containsExactly("TRIP", "RESET_DENIED", "FORCED_RESET");
            assertThat(rows(file, "SELECT state FROM circuit_breaker_state WHERE bookmaker = 'draftkings'"))
                    .containsExactly("CLOSED");
        }
    }

    private static List<String> rows(Path file, String sql) throws Exception {
        // A connection of its own, as another process would read it.
        try (Connection c = DriverManager.getConnection(SqliteFiles.url(file));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static BreakerStore recording(BreakerStore store, List<Write> writes) {
        return new BreakerStore() {
            @Override
            public List<BreakerSnapshot> loadAll() {
                return store.loadAll();
            }

            @Override
            public CommitResult commit(BreakerSnapshot snapshot, long expectedVersion, List<AuditRecord> audit) {
                CommitResult result = store.commit(snapshot, expectedVersion, audit);
                String thread = Thread.currentThread().getName();
                writes.add(new Write(thread, "commit " + snapshot.key() + " " + snapshot.state()));
                audit.forEach(r -> writes.add(new Write(thread, "append " + r.key() + " " + r.action())));
                return result;
            }

            @Override
            public void saveStats(BreakerSnapshot snapshot) {
                store.saveStats(snapshot);
            }

            @Override
            public void subscribe(Consumer<BreakerSnapshot> listener) {
                store.subscribe(listener);
            }

            @Override
            public List<AuditRecord> append(List<AuditRecord> records) {
                List<AuditRecord> stored = store.append(records);
                records.forEach(r -> writes.add(new Write(Thread.currentThread().getName(), "append " + r.key() + " "
                        + r.action())));
                return stored;
            }

            @Override
            public List<AuditRecord> audit(String key, int limit) {
                return store.audit(key, limit);
            }

            @Override
            public void close() {
                store.close();
            }
        };
    }
}
