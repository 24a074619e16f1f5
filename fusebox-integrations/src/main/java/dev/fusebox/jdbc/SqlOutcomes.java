package dev.fusebox.jdbc;

import dev.fusebox.Outcome;
import dev.fusebox.OutcomeClassifier;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * How a database error counts, so that a breaker trips when the database is in trouble and not
 * when a statement is wrong:
 *
 * <ul>
 *   <li>{@link Outcome#TIMEOUT}: {@link SQLTimeoutException}, SQLState 57014 (a statement
 *       timeout or cancel) and 55P03 (a lock timeout), SQLite's BUSY (5), a pool that "timed out"
 *       waiting for a connection, and what {@link OutcomeClassifier#DEFAULT} calls a timeout;
 *   <li>{@link Outcome#IGNORED}, the statement's own fault (like an HTTP 4xx): SQLState classes
 *       22 (data), 23 (constraint), 42 (syntax, missing table, permissions), 0A (not supported),
 *       21, 25 and 40 (cardinality, transaction state, serialization and deadlock: contention,
 *       not an outage), SQLite's ERROR (1), CONSTRAINT (19), MISMATCH (20), RANGE (25), and an
 *       {@link UnsupportedOperationException} (a driver without the method);
 *   <li>{@link Outcome#FAILURE}: everything else, the connection classes 08, 53, 57, 58 and XX
 *       above all, 25006 (a write sent to a read-only standby after a failover), and any other
 *       error that is not a {@link SQLException}.
 * </ul>
 */
public final class SqlOutcomes implements OutcomeClassifier {

    /** The classifier. */
    public static final SqlOutcomes INSTANCE = new SqlOutcomes();

    private static final Set<String> CALLERS_FAULT = Set.of("22", "23", "42", "0A", "21", "25", "40", "44", "2B",
            "2D", "3B", "HV");
    private static final Set<Integer> SQLITE_CALLERS_FAULT = Set.of(1, 19, 20, 25);
    private static final int SQLITE_BUSY = 5;

    private SqlOutcomes() {
    }

    @Override
    public Outcome classify(Throwable error) {
        SQLException sql = OutcomeClassifier.findCause(error, SQLException.class);
        if (sql == null) {
            return error instanceof UnsupportedOperationException ? Outcome.IGNORED
                    : OutcomeClassifier.DEFAULT.classify(error);
        }
        String state = sql.getSQLState();
        String message = sql.getMessage() == null ? "" : sql.getMessage();
        if (sql instanceof SQLTimeoutException || "57014".equals(state) || "55P03".equals(state)
                || sql instanceof SQLTransientConnectionException && message.contains("timed out")) {
            return Outcome.TIMEOUT;
        }
        if (sql instanceof SQLTransientConnectionException || sql instanceof SQLNonTransientConnectionException
                || sql instanceof SQLRecoverableException || "25006".equals(state)) {
            return Outcome.FAILURE;
        }
        if (state != null && state.length() >= 2) {
            return CALLERS_FAULT.contains(state.substring(0, 2)) ? Outcome.IGNORED : Outcome.FAILURE;
        }
        if (isSqlite(sql)) {
            int primary = sql.getErrorCode() & 0xff; // extended codes keep the primary code in the low byte
            if (primary == SQLITE_BUSY) {
                return Outcome.TIMEOUT;
            }
            return SQLITE_CALLERS_FAULT.contains(primary) ? Outcome.IGNORED : Outcome.FAILURE;
        }
        return OutcomeClassifier.DEFAULT.classify(error);
    }

    private static boolean isSqlite(SQLException e) {
        return e.getClass().getName().startsWith("org.sqlite.") || e.getMessage() != null
                && e.getMessage().startsWith("[SQLITE_");
    }
}
