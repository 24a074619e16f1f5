package dev.fusebox.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.State;
import dev.fusebox.spi.AuditAction;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every JDBC store must do; run against SQLite and PostgreSQL. */
abstract class BreakerStoreContract {

    JdbcBreakerStore store;

    /** A JDBC URL of an empty database. */
    abstract String freshUrl() throws Exception;

    String url;

    @BeforeEach
    void open() throws Exception {
        url = freshUrl();
        store = JdbcBreakerStore.builder(url).instanceId("test-a").build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    static final long T = 1_767_225_600_000L;

    static BreakerSnapshot tripped(String key, long at) {
        return new BreakerSnapshot(key, State.OPEN, 10.5, "500 Internal Server Error", at - 5, 3, at, "alice",
                "maintenance", true, 0, 2, at - 100_000, "bob", "cleared", 12.25, at + 1, at);
    }

    @Test
    void savesAndLoadsEveryColumn() {
        BreakerSnapshot s = tripped("draftkings", 1_767_225_600_000L);

        store.save(s);

        assertThat(store.loadAll()).containsExactly(s);
    }

    @Test
    void replacesTheRowOnSave() {
        store.save(tripped("draftkings", T));
        BreakerSnapshot closed = new BreakerSnapshot("draftkings", State.CLOSED, 0, null, 0, 3, 0, null, null, false,
                0, 0, T + 2000, "bob", "done", -1, T + 2001, T + 2000);

        store.save(closed);

        assertThat(store.loadAll()).containsExactly(closed);
    }

    @Test
    void statsSavesKeepTheStateColumns() {
        store.save(tripped("draftkings", T));
        BreakerSnapshot other = new BreakerSnapshot("draftkings", State.CLOSED, 2.5, "503", 3000, 0, 0, null, null,
                false, 0, 0, 0, null, null, 40, 3001, 0);

        store.saveStats(other);

        BreakerSnapshot row = store.loadAll().get(0);
        assertThat(row.state()).isEqualTo(State.OPEN);
        assertThat(row.tripCount()).isEqualTo(3);
        assertThat(row.trippedBy()).isEqualTo("alice");
        assertThat(row.failureScore()).isEqualTo(2.5);
        assertThat(row.lastError()).isEqualTo("503");
        assertThat(row.avgLatencyMs()).isEqualTo(40);
    }

    @Test
    void statsSaveOfANewKeyInsertsTheWholeRow() {
        BreakerSnapshot s = tripped("fanduel", T);

        store.saveStats(s);

        assertThat(store.loadAll()).containsExactly(s);
    }

    @Test
    void appendsAuditRecordsWithIncreasingIdsAndReadsNewestFirst() {
        AuditRecord first = store.append(new AuditRecord(0, "a", AuditAction.TRIP, "one", "alice", 1));
        AuditRecord second = store.append(new AuditRecord(0, "b", AuditAction.FORCED_RESET, "two", "bob", 2));
        AuditRecord third = store.append(new AuditRecord(0, "a", AuditAction.RESET_DENIED, "three", "carol", 3));

        assertThat(second.id()).isGreaterThan(first.id());
        assertThat(store.audit(null, 10)).containsExactly(third, second, first);
        assertThat(store.audit("a", 10)).containsExactly(third, first);
        assertThat(store.audit(null, 2)).containsExactly(third, second);
        assertThatThrownBy(() -> store.audit(null, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsAuditTextExactlyAsGiven() {
        String reason = "quotes ' \" ; DROP TABLE circuit_breaker_audit; -- ünïcødé";
        store.append(new AuditRecord(0, "k", AuditAction.TRIP, reason, "o'brien", 1));

        assertThat(store.audit("k", 1)).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(reason);
            assertThat(r.user()).isEqualTo("o'brien");
        });
    }

    @Test
    void reportsAndSkipsRowsThatAreNotBreakers() throws Exception {
        store.save(tripped("good", T));
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("INSERT INTO circuit_breaker_state (bookmaker, state, updated_at) VALUES ('bad', 'EXPLODED', 1)");
            st.execute("INSERT INTO circuit_breaker_state (bookmaker, state, tripped, updated_at)"
                    + " VALUES ('nulls', 'open', 1, 1)");
        }

        List<BreakerSnapshot> rows = store.loadAll();

        assertThat(rows).extracting(BreakerSnapshot::key).containsExactlyInAnyOrder("good", "nulls");
        assertThat(rows).filteredOn(r -> r.key().equals("nulls")).singleElement().satisfies(r -> {
            assertThat(r.state()).as("state names in any case").isEqualTo(State.OPEN);
            assertThat(r.trippedBy()).isNull();
            assertThat(r.lastFailureAt()).isZero();
            assertThat(r.avgLatencyMs()).isEqualTo(-1);
        });
        assertThat(store.invalidRows()).isEqualTo(1);
    }

    @Test
    void migratesOnceAndRecordsTheVersion() throws Exception {
        store.loadAll();
        store.close();
        store = JdbcBreakerStore.builder(url).build();
        store.loadAll();

        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*), MAX(version) FROM fusebox_schema_version")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getInt(2)).isEqualTo(1);
        }
    }

    @Test
    void refusesASchemaNewerThanItKnows() throws Exception {
        store.loadAll();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("INSERT INTO fusebox_schema_version (version, applied_at) VALUES (99, 0)");
        }
        store.close();

        assertThatThrownBy(() -> {
            // SQLite fails when the store is built, PostgreSQL on first use.
            try (JdbcBreakerStore newer = JdbcBreakerStore.builder(url).build()) {
                newer.loadAll();
            }
        }).hasMessageContaining("schema is at version 99, newer than this Fusebox knows (1)");
        store = JdbcBreakerStore.builder(freshUrl()).build(); // for close()
    }
}
