package dev.fusebox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.BreakerStatus;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.CircuitOpenException;
import dev.fusebox.State;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** The wrapped data source over a real SQLite file. */
class ProtectedDataSourceSqliteTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private final CircuitBreakerRegistry breakers =
            ProtectedDataSource.presets(Registries.manual(clock, new TestLoad()), "db").build();
    private SQLiteDataSource sqlite;
    private ProtectedDataSource db;

    @BeforeEach
    void open() throws SQLException {
        sqlite = new SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + dir.resolve("app.db"));
        db = ProtectedDataSource.builder(sqlite, breakers).name("db").authTables("users").build();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE NOT NULL)");
            s.executeUpdate("CREATE TABLE bets (id INTEGER PRIMARY KEY, stake INTEGER NOT NULL)");
        }
    }

    @AfterEach
    void close() {
        breakers.close();
    }

    private BreakerStatus status(SqlOperation op) {
        return db.breaker(op).status();
    }

    @Test
    void sendsEachKindOfWorkThroughItsOwnBreaker() throws Exception {
        try (Connection c = db.getConnection()) {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO bets (stake) VALUES (?)")) {
                insert.setInt(1, 5);
                assertThat(insert.executeUpdate()).isEqualTo(1);
                assertThat(insert.getConnection()).as("the guarded connection, not the raw one").isSameAs(c);
            }
            try (PreparedStatement login = c.prepareStatement("INSERT INTO users (email) VALUES (?)")) {
                login.setString(1, "alice@example.com");
                login.executeUpdate();
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT sum(stake) FROM bets")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(5);
            }
            try (Statement s = c.createStatement()) {
                s.addBatch("INSERT INTO bets (stake) VALUES (1)");
                s.addBatch("INSERT INTO bets (stake) VALUES (2)");
                assertThat(s.executeBatch()).containsExactly(1, 1);
            }
        }

        assertThat(status(SqlOperation.READ).successes()).isEqualTo(1);
        assertThat(status(SqlOperation.WRITE).successes()).as("CREATE bets, INSERT, the batch").isEqualTo(3);
        assertThat(status(SqlOperation.AUTH).successes()).as("CREATE users, INSERT INTO users").isEqualTo(2);
        assertThat(db.connectionBreaker().status().successes()).isEqualTo(2);
    }

    @Test
    void aWrongStatementIsNotTheDatabasesFailure() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> s.executeQuery("SELEC nonsense")).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> s.executeQuery("SELECT * FROM no_such_table")).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO bets (stake) VALUES (NULL)"))
                        .isInstanceOf(SQLException.class);
            }
        }

        assertThat(status(SqlOperation.READ).state()).isEqualTo(State.CLOSED);
        assertThat(status(SqlOperation.READ).failures()).isZero();
        assertThat(status(SqlOperation.WRITE).failures()).isZero();
    }

    @Test
    void aLockedDatabaseCountsAsATimeout() throws Exception {
        sqlite.setBusyTimeout(0);
        try (Connection holder = sqlite.getConnection(); Statement lock = holder.createStatement()) {
            lock.execute("BEGIN IMMEDIATE"); // another process holds the write lock
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO bets (stake) VALUES (1)"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("SQLITE_BUSY");
            }
            lock.execute("ROLLBACK");
        }

        assertThat(status(SqlOperation.WRITE).timeouts()).isEqualTo(1);
        assertThat(status(SqlOperation.WRITE).failures()).isEqualTo(0.5);
    }

    @Test
    void anOpenBreakerRefusesWithoutReachingTheDatabaseAndTheOthersCarryOn() throws Exception {
        breakers.trip("db.read", "replica maintenance", "ops");
        List<Integer> stakes = new ArrayList<>();

        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            try {
                s.executeQuery("SELECT stake FROM bets");
            } catch (SQLException e) {
                assertThat(ProtectedDataSource.isRejection(e)).isTrue();
                assertThat((Throwable) e).isInstanceOf(BreakerRejectedSQLException.class);
                assertThat(e.getSQLState()).isEqualTo("08000");
                assertThat(((BreakerRejectedSQLException) e).rejection()).isInstanceOf(CircuitOpenException.class);
                stakes.add(-1); // the fallback: an empty result
            }
            assertThat(s.executeUpdate("INSERT INTO bets (stake) VALUES (3)")).as("writes are not reads").isEqualTo(1);
        }

        assertThat(stakes).containsExactly(-1);
        assertThat(status(SqlOperation.READ).rejections()).isEqualTo(1);
        assertThat(status(SqlOperation.READ).calls()).isZero();
    }

    @Test
    void anUnreachableDatabaseTripsTheConnectionBreaker() throws Exception {
        SQLiteDataSource missing = new SQLiteDataSource();
        missing.setUrl("jdbc:sqlite:" + dir.resolve("no/such/dir/app.db"));
        ProtectedDataSource broken = ProtectedDataSource.builder(missing, breakers).name("db").build();

        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(broken::getConnection).isInstanceOf(SQLException.class)
                    .matches(e -> !ProtectedDataSource.isRejection(e), "a database error");
        }
        assertThatThrownBy(broken::getConnection).matches(ProtectedDataSource::isRejection, "refused by the breaker");
        assertThat(broken.connectionBreaker().status().tripped()).isTrue();
    }

    @Test
    void aRefusedBatchIsKeptForTheRetryAndStillCountsAsAWrite() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.addBatch("INSERT INTO bets (stake) VALUES (7)");
            s.addBatch("INSERT INTO bets (stake) VALUES (8)");
            breakers.trip("db.write", "failover", "ops");
            assertThatThrownBy(s::executeBatch).matches(ProtectedDataSource::isRejection, "refused");
            breakers.reset("db.write", "failover done", "ops", true);

            assertThat(s.executeBatch()).containsExactly(1, 1);
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM bets")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
        assertThat(status(SqlOperation.WRITE).rejections()).isEqualTo(1);
        assertThat(status(SqlOperation.READ).rejections()).as("the retried batch was not taken for a read").isZero();
    }

    @Test
    void nothingHandsOutTheRawConnectionOrStatement() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1")) {
            assertThat(rs.getStatement()).isSameAs(s);
            assertThat(c.getMetaData().getConnection()).isSameAs(c);
            assertThat(s.execute("SELECT 2")).isTrue();
            assertThat(s.getResultSet().getStatement()).isSameAs(s);
        }
    }

    @Test
    void refusesBreakersWithACallTimeout() {
        CircuitBreakerRegistry timed = Registries.manual(clock, new TestLoad())
                .preset("t.write", dev.fusebox.BreakerConfig.builder().callTimeout(java.time.Duration.ofSeconds(1)).build())
                .build();
        try {
            assertThatThrownBy(() -> ProtectedDataSource.builder(sqlite, timed).name("t").build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t.write has a callTimeout");
        } finally {
            timed.close();
        }
    }

    @Test
    void unwrapsToTheWrappedDataSource() throws Exception {
        assertThat(db.unwrap(SQLiteDataSource.class)).isSameAs(sqlite);
        assertThat(db.isWrapperFor(SQLiteDataSource.class)).isTrue();
        assertThat(db.unwrap(ProtectedDataSource.class)).isSameAs(db);
    }
}
