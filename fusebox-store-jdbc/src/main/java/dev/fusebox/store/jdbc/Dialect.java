package dev.fusebox.store.jdbc;

import java.util.List;

/**
 * The SQL that differs between SQLite and PostgreSQL. Both accept the same upsert
 * ({@code ON CONFLICT ... DO UPDATE}, SQLite 3.24+) and {@code RETURNING} (SQLite 3.35+), so
 * most statements are shared; only types and the audit id differ.
 */
enum Dialect {

    SQLITE("INTEGER", "REAL", "INTEGER PRIMARY KEY AUTOINCREMENT"),
    POSTGRES("BIGINT", "DOUBLE PRECISION", "BIGSERIAL PRIMARY KEY");

    /** The state columns, in the order every statement and {@link Rows} use. */
    static final String STATE_COLUMNS = "bookmaker, state, tripped, failure_count, last_error, last_failure_at,"
            + " trip_count, tripped_at, tripped_by, trip_reason, manual_trip, next_attempt_at, open_level,"
            + " last_reset_at, last_reset_by, last_reset_reason, avg_latency, updated_at, state_changed_at, origin";
    static final int STATE_COLUMN_COUNT = 20;

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
     * The schema, one entry per version. Version 1 holds the seed's columns (bookmaker,
     * failure_count, last_failure_at, tripped, trip_count, last_error, avg_latency, last_reset_*,
     * updated_at; audit: bookmaker, action, reason, user, timestamp) plus what Fusebox needs to
     * restore and share a breaker exactly. A later version is appended here, never edited in.
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
                "CREATE INDEX circuit_breaker_audit_by_key ON circuit_breaker_audit (bookmaker, id)"));
    }

    /** Insert or replace every column: transitions and operator actions. */
    String upsertState() {
        return upsert(STATE_COLUMNS.replace("bookmaker, ", "").split(", "));
    }

    /**
     * Insert, or update only the counting columns of an existing row, so that one instance's
     * counts never overwrite another instance's trip.
     */
    String upsertStats() {
        return upsert(new String[] {"failure_count", "last_error", "last_failure_at", "avg_latency", "updated_at"});
    }

    String appendAudit() {
        return "INSERT INTO circuit_breaker_audit (bookmaker, action, reason, \"user\", \"timestamp\")"
                + " VALUES (?, ?, ?, ?, ?) RETURNING id";
    }

    String selectAudit(boolean byKey) {
        return "SELECT id, bookmaker, action, reason, \"user\", \"timestamp\" FROM circuit_breaker_audit"
                + (byKey ? " WHERE bookmaker = ?" : "") + " ORDER BY id DESC LIMIT ?";
    }

    String selectState(boolean byKey) {
        return "SELECT " + STATE_COLUMNS + " FROM circuit_breaker_state" + (byKey ? " WHERE bookmaker = ?" : "");
    }

    private static String upsert(String[] updated) {
        StringBuilder sql = new StringBuilder("INSERT INTO circuit_breaker_state (" + STATE_COLUMNS + ") VALUES (");
        sql.append("?, ".repeat(STATE_COLUMN_COUNT - 1)).append("?) ON CONFLICT (bookmaker) DO UPDATE SET ");
        for (int i = 0; i < updated.length; i++) {
            sql.append(i == 0 ? "" : ", ").append(updated[i]).append(" = excluded.").append(updated[i]);
        }
        return sql.toString();
    }
}
