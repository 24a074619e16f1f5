package dev.fusebox.store.jdbc;

import java.util.List;

/**
 * The SQL that differs between SQLite and PostgreSQL. Both accept the same upsert
 * ({@code ON CONFLICT ... DO UPDATE ... WHERE}, SQLite 3.24+), so most statements are shared;
 * types, the audit id and how a new id is read back differ.
 */
enum Dialect {

    SQLITE("INTEGER", "REAL", "INTEGER PRIMARY KEY AUTOINCREMENT"),
    POSTGRES("BIGINT", "DOUBLE PRECISION", "BIGSERIAL PRIMARY KEY");

    /** The state columns, in the order every statement and {@link Rows} use. */
    static final String STATE_COLUMNS = "bookmaker, state, tripped, failure_count, last_error, last_failure_at,"
            + " trip_count, tripped_at, tripped_by, trip_reason, manual_trip, next_attempt_at, open_level,"
            + " last_reset_at, last_reset_by, last_reset_reason, avg_latency, updated_at, state_changed_at, origin,"
            + " version, change_cause, change_id";
    static final int STATE_COLUMN_COUNT = 23;
    private static final String[] STATS_COLUMNS = {"failure_count", "last_error", "last_failure_at", "avg_latency",
        "updated_at"};

    private final String bigint;
    private final String real;
    private final String serialKey;

    Dialect(String bigint, String real, String serialKey) {
        this.bigint = bigint;
        this.real = real;
        this.serialKey = serialKey;
    }

    static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRES;
        }
        throw new IllegalArgumentException("unsupported store URL '" + jdbcUrl
                + "': expected jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DATABASE");
    }

    /**
     * The schema, one entry per version; a later version is appended, never edited in.
     * <ol>
     *   <li>The original service's columns (bookmaker, failure_count, last_failure_at, tripped,
     *       trip_count, last_error, avg_latency, last_reset_*, updated_at; audit: bookmaker, action,
     *       reason, user, timestamp) plus what Fusebox needs to restore and share a breaker exactly.
     *   <li>{@code version} (each state change is a compare-and-set on it), {@code change_cause},
     *       and {@code fusebox_heartbeat}, written by a store check after a failed write.
     *   <li>{@code change_id}: the writer's random id of the state change, by which a writer
     *       whose connection broke during a commit finds out that it landed.
     * </ol>
     */
    List<List<String>> migrations() {
        return List.of(List.of(
                "CREATE TABLE circuit_breaker_state ("
                        + " bookmaker TEXT PRIMARY KEY,"
                        + " state TEXT NOT NULL DEFAULT 'CLOSED',"
                        + " tripped INTEGER NOT NULL DEFAULT 0,"
                        + " failure_count " + real + " NOT NULL DEFAULT 0,"
                        + " last_error TEXT,"
                        + " last_failure_at " + bigint + ","
                        + " trip_count " + bigint + " NOT NULL DEFAULT 0,"
                        + " tripped_at " + bigint + ","
                        + " tripped_by TEXT,"
                        + " trip_reason TEXT,"
                        + " manual_trip INTEGER NOT NULL DEFAULT 0,"
                        + " next_attempt_at " + bigint + ","
                        + " open_level INTEGER NOT NULL DEFAULT 0,"
                        + " last_reset_at " + bigint + ","
                        + " last_reset_by TEXT,"
                        + " last_reset_reason TEXT,"
                        + " avg_latency " + real + ","
                        + " updated_at " + bigint + " NOT NULL,"
                        + " state_changed_at " + bigint + " NOT NULL DEFAULT 0,"
                        + " origin TEXT)",
                "CREATE TABLE circuit_breaker_audit ("
                        + " id " + serialKey + ","
                        + " bookmaker TEXT NOT NULL,"
                        + " action TEXT NOT NULL,"
                        + " reason TEXT,"
                        + " \"user\" TEXT NOT NULL,"
                        + " \"timestamp\" " + bigint + " NOT NULL)",
                "CREATE INDEX circuit_breaker_audit_by_key ON circuit_breaker_audit (bookmaker, id)"),
                List.of(
                "ALTER TABLE circuit_breaker_state ADD COLUMN version " + bigint + " NOT NULL DEFAULT 0",
                "ALTER TABLE circuit_breaker_state ADD COLUMN change_cause TEXT",
                "CREATE TABLE fusebox_heartbeat (origin TEXT PRIMARY KEY, at " + bigint + " NOT NULL)"),
                List.of("ALTER TABLE circuit_breaker_state ADD COLUMN change_id " + bigint));
    }

    /**
     * A state change over {@code version = ?} (the last parameter): inserts the row when it is
     * new, updates every column when the stored version is the expected one, does nothing
     * otherwise. One row changed means committed.
     */
    String commitState() {
        StringBuilder sql = new StringBuilder(insert()).append(" ON CONFLICT (bookmaker) DO UPDATE SET ");
        String[] columns = STATE_COLUMNS.replace("bookmaker, ", "").split(", ");
        for (int i = 0; i < columns.length; i++) {
            sql.append(i == 0 ? "" : ", ").append(columns[i]).append(" = excluded.").append(columns[i]);
        }
        return sql.append(" WHERE circuit_breaker_state.version = ?").toString();
    }

    /**
     * Insert a row with version 0, or update only the counting columns of an existing row, so
     * that counts never overwrite a state change.
     */
    String upsertStats() {
        StringBuilder sql = new StringBuilder(insert()).append(" ON CONFLICT (bookmaker) DO UPDATE SET ");
        for (int i = 0; i < STATS_COLUMNS.length; i++) {
            sql.append(i == 0 ? "" : ", ").append(STATS_COLUMNS[i]).append(" = excluded.").append(STATS_COLUMNS[i]);
        }
        return sql.toString();
    }

    private static String insert() {
        return "INSERT INTO circuit_breaker_state (" + STATE_COLUMNS + ") VALUES ("
                + "?, ".repeat(STATE_COLUMN_COUNT - 1) + "?)";
    }

    /**
     * Appends an audit row. PostgreSQL answers its id; SQLite's is read with
     * {@code last_insert_rowid()} in the same transaction, because sqlite-jdbc reports success for
     * {@code INSERT ... RETURNING} even when SQLite could not write (a full disk).
     */
    String appendAudit() {
        return "INSERT INTO circuit_breaker_audit (bookmaker, action, reason, \"user\", \"timestamp\")"
                + " VALUES (?, ?, ?, ?, ?)" + (this == POSTGRES ? " RETURNING id" : "");
    }

    String heartbeat() {
        return "INSERT INTO fusebox_heartbeat (origin, at) VALUES (?, ?) ON CONFLICT (origin) DO UPDATE SET at = excluded.at";
    }

    String selectAudit(boolean byKey) {
        return "SELECT id, bookmaker, action, reason, \"user\", \"timestamp\" FROM circuit_breaker_audit"
                + (byKey ? " WHERE bookmaker = ?" : "") + " ORDER BY id DESC LIMIT ?";
    }

    String selectState(boolean byKey) {
        return "SELECT " + STATE_COLUMNS + " FROM circuit_breaker_state" + (byKey ? " WHERE bookmaker = ?" : "");
    }
}
