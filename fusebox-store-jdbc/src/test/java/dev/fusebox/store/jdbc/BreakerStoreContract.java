package dev.fusebox.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.State;
import dev.fusebox.event.Cause;
import dev.fusebox.spi.AuditAction;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import dev.fusebox.spi.CommitResult;
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

    /** How a store over {@code url} is built; a subclass may reach the database another way. */
    JdbcStoreBuilder builder(String url) {
        return JdbcBreakerStore.builder(url);
    }

    @BeforeEach
    void open() throws Exception {
        url = freshUrl();
        store = builder(url).instanceId("test-a").build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    static final long T = 1_767_225_600_000L;

    static BreakerSnapshot tripped(String key, long at, long version) {
        return BreakerSnapshot.builder(key, State.OPEN).version(version).cause(Cause.OPERATOR_TRIP).score(10.5)
                .lastFailure("500 Internal Server Error", at - 5).tripCount(3).trip(at, "alice", "maintenance")
                .recovery(0, 2).lastReset(at - 100_000, "bob", "cleared").avgLatencyMs(12.25).times(at + 1, at)
                .build();
    }

    static AuditRecord audit(String key, AuditAction action, String reason, long at) {
        return AuditRecord.of(key, action, "alice", reason, at);
    }

    @Test
    void commitsAndLoadsEveryColumn() {
        BreakerSnapshot s = tripped("draftkings", T, 1);

        CommitResult result = store.commit(s, 0, List.of());

        assertThat(result.committed()).isTrue();
        assertThat(store.loadAll()).containsExactly(s);
    }

    @Test
    void commitsOnlyOverTheExpectedVersionAndAnswersTheStoredRowOtherwise() {
        store.commit(tripped("draftkings", T, 1), 0, List.of());
        BreakerSnapshot closed = BreakerSnapshot.builder("draftkings", State.CLOSED).version(2)
                .cause(Cause.FORCED_RESET).tripCount(3).lastReset(T + 2000, "bob", "done").times(T + 2001, T + 2000)
                .build();

        CommitResult stale = store.commit(closed.toBuilder().version(1).build(), 0,
                List.of(audit("draftkings", AuditAction.FORCED_RESET, "stale", T)));
        assertThat(stale.committed()).isFalse();
        assertThat(stale.current()).isEqualTo(tripped("draftkings", T, 1));
        assertThat(store.audit(null, 10)).as("nothing of a conflicting change is written").isEmpty();

        CommitResult fresh = store.commit(closed, 1, List.of(audit("draftkings", AuditAction.FORCED_RESET, "ok", T)));
        assertThat(fresh.committed()).isTrue();
        assertThat(fresh.audit()).singleElement().satisfies(r -> assertThat(r.id()).isPositive());
        assertThat(store.loadAll()).containsExactly(closed);
        assertThat(store.audit(null, 10)).extracting(AuditRecord::reason).containsExactly("ok");
    }

    @Test
    void aNewKeyCommitsOnlyOverVersionZero() {
        CommitResult wrong = store.commit(tripped("fanduel", T, 5), 4, List.of());

        assertThat(wrong.committed()).isFalse();
        assertThat(wrong.current().version()).isZero();
        assertThat(store.loadAll()).isEmpty();
    }

    @Test
    void statsSavesKeepTheStateColumnsAndTheVersion() {
        store.commit(tripped("draftkings", T, 1), 0, List.of());
        BreakerSnapshot other = BreakerSnapshot.builder("draftkings", State.CLOSED).version(7).score(2.5)
                .lastFailure("503", 3000).avgLatencyMs(40).times(3001, 0).build();

        store.saveStats(other);

        BreakerSnapshot row = store.loadAll().get(0);
        assertThat(row.state()).isEqualTo(State.OPEN);
        assertThat(row.version()).isEqualTo(1);
        assertThat(row.tripCount()).isEqualTo(3);
        assertThat(row.trippedBy()).isEqualTo("alice");
        assertThat(row.failureScore()).isEqualTo(2.5);
        assertThat(row.lastError()).isEqualTo("503");
        assertThat(row.avgLatencyMs()).isEqualTo(40);
    }

    @Test
    void statsSaveOfANewKeyInsertsTheRowAtVersionZeroSoTheFirstChangeStillCommits() {
        BreakerSnapshot s = BreakerSnapshot.builder("fanduel", State.CLOSED).version(0).score(3).times(T, 0).build();

        store.saveStats(s);

        assertThat(store.loadAll()).containsExactly(s);
        assertThat(store.commit(tripped("fanduel", T, 1), 0, List.of()).committed()).isTrue();
    }

    @Test
    void appendsAuditRecordsInOrderWithIncreasingIdsAndReadsNewestFirst() {
        List<AuditRecord> written = store.append(List.of(audit("a", AuditAction.TRIP, "one", 1),
                audit("b", AuditAction.FORCED_RESET, "two", 2)));
        AuditRecord third = store.append(List.of(audit("a", AuditAction.RESET_DENIED, "three", 3))).get(0);
        AuditRecord first = written.get(0);
        AuditRecord second = written.get(1);

        assertThat(second.id()).isGreaterThan(first.id());
        assertThat(third.id()).isGreaterThan(second.id());
        assertThat(store.audit(null, 10)).containsExactly(third, second, first);
        assertThat(store.audit("a", 10)).containsExactly(third, first);
        assertThat(store.audit(null, 2)).containsExactly(third, second);
        assertThatThrownBy(() -> store.audit(null, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsAuditTextExactlyAsGiven() {
        String reason = "quotes ' \" ; DROP TABLE circuit_breaker_audit; -- ünïcødé";
        store.append(List.of(AuditRecord.of("k", AuditAction.TRIP, "o'brien", reason, 1)));

        assertThat(store.audit("k", 1)).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(reason);
            assertThat(r.user()).isEqualTo("o'brien");
        });
    }

    @Test
    void aRowWhoseStateCannotBeReadComesBackOpenAndUnknownSoItFailsClosed() throws Exception {
        store.commit(tripped("good", T, 1), 0, List.of());
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("INSERT INTO circuit_breaker_state (bookmaker, state, updated_at) VALUES ('bad', 'EXPLODED', 1)");
            st.execute("INSERT INTO circuit_breaker_state (bookmaker, state, tripped, updated_at)"
                    + " VALUES ('nulls', 'open', 1, 1)");
        }

        List<BreakerSnapshot> rows = store.loadAll();

        assertThat(rows).extracting(BreakerSnapshot::key).containsExactlyInAnyOrder("good", "bad", "nulls");
        assertThat(rows).filteredOn(r -> r.key().equals("bad")).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(State.OPEN);
            assertThat(r.cause()).isEqualTo(Cause.STATE_UNKNOWN);
            assertThat(r.tripReason()).contains("unreadable", "EXPLODED");
        });
        assertThat(rows).filteredOn(r -> r.key().equals("nulls")).singleElement().satisfies(r -> {
            assertThat(r.state()).as("state names in any case").isEqualTo(State.OPEN);
            assertThat(r.trippedBy()).isNull();
            assertThat(r.lastFailureAt()).isZero();
            assertThat(r.avgLatencyMs()).isEqualTo(-1);
        });
    }

    @Test
    void checksTheConnectionAndWritesAHeartbeatWhenAsked() throws Exception {
        store.check(false);
        store.check(true);

        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT origin FROM fusebox_heartbeat")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("test-a");
        }
    }

    @Test
    void migratesOnceAndRecordsTheVersion() throws Exception {
        store.loadAll();
        store.close();
        store = builder(url).build();
        store.loadAll();

        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*), MAX(version) FROM fusebox_schema_version")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
            assertThat(rs.getInt(2)).isEqualTo(3);
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
            try (JdbcBreakerStore newer = builder(url).build()) {
                newer.loadAll();
            }
        }).hasMessageContaining("schema is at version 99, newer than this Fusebox knows (3)");
        store = builder(freshUrl()).build(); // for close()
    }
}
