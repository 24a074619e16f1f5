package dev.fusebox.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.Outcome;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

class SqlOutcomesTest {

    private static Outcome of(Throwable error) {
        return SqlOutcomes.INSTANCE.classify(error);
    }

    private static SQLException state(String sqlState) {
        return new SQLException("error " + sqlState, sqlState);
    }

    @Test
    void theDatabaseInTroubleIsAFailure() {
        assertThat(of(state("08006"))).as("connection failure").isEqualTo(Outcome.FAILURE);
        assertThat(of(state("53300"))).as("too many connections").isEqualTo(Outcome.FAILURE);
        assertThat(of(state("57P01"))).as("admin shutdown").isEqualTo(Outcome.FAILURE);
        assertThat(of(state("XX000"))).as("internal error").isEqualTo(Outcome.FAILURE);
        assertThat(of(state("25006"))).as("a write to a read-only standby after a failover").isEqualTo(Outcome.FAILURE);
        assertThat(of(new SQLiteException("[SQLITE_IOERR] disk I/O error", SQLiteErrorCode.SQLITE_IOERR)))
                .isEqualTo(Outcome.FAILURE);
        assertThat(of(new IOException("connection reset"))).isEqualTo(Outcome.FAILURE);
    }

    @Test
    void slownessIsATimeout() {
        assertThat(of(state("57014"))).as("statement timeout").isEqualTo(Outcome.TIMEOUT);
        assertThat(of(state("55P03"))).as("lock timeout").isEqualTo(Outcome.TIMEOUT);
        assertThat(of(new SQLTimeoutException("query timed out"))).isEqualTo(Outcome.TIMEOUT);
        assertThat(of(new SQLTransientConnectionException(
                "HikariPool-1 - Connection is not available, request timed out after 30000ms.")))
                .as("a pool waiting for a connection").isEqualTo(Outcome.TIMEOUT);
        assertThat(of(new SQLiteException("[SQLITE_BUSY] The database file is locked", SQLiteErrorCode.SQLITE_BUSY)))
                .isEqualTo(Outcome.TIMEOUT);
    }

    @Test
    void theStatementsOwnFaultDoesNotCount() {
        assertThat(of(state("42601"))).as("syntax").isEqualTo(Outcome.IGNORED);
        assertThat(of(state("42P01"))).as("no such table").isEqualTo(Outcome.IGNORED);
        assertThat(of(state("23505"))).as("unique violation").isEqualTo(Outcome.IGNORED);
        assertThat(of(state("22012"))).as("division by zero").isEqualTo(Outcome.IGNORED);
        assertThat(of(state("40001"))).as("serialization failure").isEqualTo(Outcome.IGNORED);
        assertThat(of(state("40P01"))).as("deadlock").isEqualTo(Outcome.IGNORED);
        assertThat(of(new SQLFeatureNotSupportedException("no", "0A000"))).isEqualTo(Outcome.IGNORED);
        assertThat(of(new UnsupportedOperationException("executeLargeUpdate"))).isEqualTo(Outcome.IGNORED);
        assertThat(of(new SQLiteException("[SQLITE_CONSTRAINT] NOT NULL", SQLiteErrorCode.SQLITE_CONSTRAINT_NOTNULL)))
                .isEqualTo(Outcome.IGNORED);
        assertThat(of(new RuntimeException(state("23505")))).as("found in the cause chain").isEqualTo(Outcome.IGNORED);
    }
}
