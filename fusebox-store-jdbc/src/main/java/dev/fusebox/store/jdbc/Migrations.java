package dev.fusebox.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A small versioned schema: table {@code fusebox_schema_version} records each version applied;
 * on start every newer version is applied in one transaction, under a lock so that instances
 * starting together apply it once (PostgreSQL: an advisory lock; SQLite: an immediate
 * transaction). A database whose version is newer than this code refuses to open.
 *
 * <p>Why not Flyway or Liquibase: two tables, two dialects, one transaction. Those libraries
 * would add more code to the class path than this whole module, and Flyway needs a separate
 * artifact per database; the part of them used here is these thirty lines.
 */
final class Migrations {

    /** An arbitrary constant naming Fusebox's advisory lock. */
    private static final long PG_LOCK = 0x4675_7365_626f_78L;

    private Migrations() {
    }

    /** Brings the schema up to date; returns the version it is at. */
    static int migrate(Connection c, Dialect dialect) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        try (Statement st = c.createStatement()) {
            if (dialect == Dialect.SQLITE) {
                c.setAutoCommit(true);
                st.execute("BEGIN IMMEDIATE");
            } else {
                c.setAutoCommit(false);
                st.execute("SELECT pg_advisory_xact_lock(" + PG_LOCK + ")");
            }
            try {
                st.execute("CREATE TABLE IF NOT EXISTS fusebox_schema_version (version INTEGER NOT NULL,"
                        + " applied_at BIGINT NOT NULL)");
                int current = currentVersion(st);
                List<List<String>> all = dialect.migrations();
                if (current > all.size()) {
                    throw new SQLException("the database schema is at version " + current
                            + ", newer than this Fusebox knows (" + all.size() + "): upgrade Fusebox");
                }
                for (int v = current + 1; v <= all.size(); v++) {
                    for (String ddl : all.get(v - 1)) {
                        st.execute(ddl);
                    }
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO fusebox_schema_version (version, applied_at) VALUES (?, ?)")) {
                        ps.setInt(1, v);
                        ps.setLong(2, System.currentTimeMillis());
                        ps.executeUpdate();
                    }
                }
                commit(c, st, dialect);
                return all.size();
            } catch (SQLException | RuntimeException e) {
                rollback(c, st, dialect);
                throw e;
            }
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static int currentVersion(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT MAX(version) FROM fusebox_schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static void commit(Connection c, Statement st, Dialect dialect) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            st.execute("COMMIT");
        } else {
            c.commit();
        }
    }

    private static void rollback(Connection c, Statement st, Dialect dialect) {
        try {
            if (dialect == Dialect.SQLITE) {
                st.execute("ROLLBACK");
            } else {
                c.rollback();
            }
        } catch (SQLException ignored) {
            // the original failure is what matters
        }
    }
}
