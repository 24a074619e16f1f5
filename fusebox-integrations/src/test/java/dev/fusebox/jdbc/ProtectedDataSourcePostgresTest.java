package dev.fusebox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The wrapped data source over a real PostgreSQL server, which a test also stops. */
class ProtectedDataSourcePostgresTest {

    private final ManualClock clock = new ManualClock();
    private final CircuitBreakerRegistry breakers =
            ProtectedDataSource.presets(Registries.manual(clock, new TestLoad()), "pg").build();
    private EmbeddedPostgres postgres;
    private ProtectedDataSource db;

    @BeforeEach
    void start() throws Exception {
        postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
        DataSource plain = postgres.getPostgresDatabase();
        ((PGSimpleDataSource) plain).setConnectTimeout(5);
        db = ProtectedDataSource.builder(plain, breakers).name("pg").build();
    }

    @AfterEach
    void stop() throws Exception {
        breakers.close();
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aStatementTimeoutWeighsHalfAFailure() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = 100");
            assertThatThrownBy(() -> s.executeQuery("SELECT pg_sleep(10)"))
                    .isInstanceOf(SQLException.class)
                    .matches(e -> "57014".equals(((SQLException) e).getSQLState()), "SQLState 57014");
        }

        assertThat(db.breaker(SqlOperation.READ).status().timeouts()).isEqualTo(1);
        assertThat(db.breaker(SqlOperation.READ).status().failures()).isEqualTo(0.5);
    }

    @Test
    void syntaxErrorsAndConstraintViolationsDoNotCount() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE accounts (id int PRIMARY KEY)");
            s.executeUpdate("INSERT INTO accounts VALUES (1)");
            for (int i = 0; i < 6; i++) {
                assertThatThrownBy(() -> s.executeQuery("SELECT * FROM missing_table")).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> s.executeQuery("SELECT 1 / 0")).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> s.executeUpdate("UPDAT accounts SET id = 2")).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO accounts VALUES (1)"))
                        .isInstanceOf(SQLException.class);
            }
        }

        assertThat(db.breaker(SqlOperation.READ).status().tripped()).isFalse();
        assertThat(db.breaker(SqlOperation.READ).status().calls()).as("12 reads ran and failed").isEqualTo(12);
        assertThat(db.breaker(SqlOperation.WRITE).status().tripped()).isFalse();
        assertThat(db.breaker(SqlOperation.WRITE).status().failures()).isZero();
    }

    @Test
    void aStoppedServerTripsTheConnectionBreakerAndThenFailsFast() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.executeQuery("SELECT 1").close();
        }
        postgres.close(); // the database goes away
        postgres = null;

        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(db::getConnection).isInstanceOf(SQLException.class)
                    .matches(e -> !ProtectedDataSource.isRejection(e), "PostgreSQL's own error")
                    .matches(e -> ((SQLException) e).getSQLState().startsWith("08"), "a connection error");
        }

        assertThatThrownBy(db::getConnection).matches(ProtectedDataSource::isRejection, "refused by the breaker");
        assertThat(db.connectionBreaker().status().tripped()).isTrue();
        assertThat(db.connectionBreaker().status().failures()).isEqualTo(10.0);
    }
}
