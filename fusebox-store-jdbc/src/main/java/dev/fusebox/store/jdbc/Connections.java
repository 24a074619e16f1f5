package dev.fusebox.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Where statements run: one SQLite connection, a small HikariCP pool for PostgreSQL, or the
 * application's own DataSource.
 */
abstract class Connections implements AutoCloseable {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    interface Tx<T> {
        T run() throws SQLException;
    }

    abstract <T> T with(Work<T> work) throws SQLException;

    /**
     * Runs {@code work} on {@code c} as one transaction: committed when it returns (a failed commit
     * throws), rolled back when it throws.
     */
    abstract <T> T transaction(Connection c, Tx<T> work) throws SQLException;

    /** A new connection of its own, for a change feed. */
    abstract Connection open() throws SQLException;

    @Override
    public abstract void close();

    /**
     * SQLite: explicit {@code BEGIN IMMEDIATE ... COMMIT}: the commit's own result tells whether
     * SQLite could write.
     */
    static <T> T immediate(Connection c, Tx<T> work) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            T result;
            try {
                result = work.run();
            } catch (SQLException | RuntimeException e) {
                rollback(st);
                throw e;
            }
            try {
                st.execute("COMMIT");
            } catch (SQLException e) {
                rollback(st);
                throw e;
            }
            return result;
        }
    }

    private static void rollback(Statement st) {
        try {
            st.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // no transaction left to roll back (SQLite already did), or the file is gone
        }
    }

    /** PostgreSQL: auto-commit off for the work, then commit; the connection's setting is put back. */
    static <T> T withoutAutoCommit(Connection c, Tx<T> work) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is gone: the server rolls back
            }
            throw e;
        } finally {
            try {
                c.setAutoCommit(autoCommit);
            } catch (SQLException ignored) {
                // the pool discards a broken connection
            }
        }
    }

    /**
     * SQLite: one connection for all writes and reads of this store, used by one thread at a
     * time. SQLite serialises writers anyway; a pool would only add lock waits.
     */
    static final class Sqlite extends Connections {
        private final String url;
        private final String synchronous;
        private final Connection connection;

        Sqlite(String url, String synchronous) throws SQLException {
            this.url = url;
            this.synchronous = synchronous;
            SqliteFiles.createOwnerOnly(url);
            this.connection = open();
            try (Statement st = connection.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
            }
        }

        @Override
        synchronized <T> T with(Work<T> work) throws SQLException {
            return work.run(connection);
        }

        @Override
        <T> T transaction(Connection c, Tx<T> work) throws SQLException {
            return immediate(c, work);
        }

        @Override
        Connection open() throws SQLException {
            Connection c = DriverManager.getConnection(url);
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA busy_timeout=5000");
                st.execute("PRAGMA synchronous=" + synchronous);
            }
            return c;
        }

        @Override
        public synchronized void close() {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing: nothing left to do with it
            }
        }
    }

    /**
     * PostgreSQL: a HikariCP pool of two, which reconnects after the server comes back. Nothing
     * is checked at start, so a store over a server that is down can still be created; every
     * operation fails fast (connection timeout) until it is up. A connection that goes silent
     * (a dead peer, a network that drops packets) fails after the socket timeout instead of
     * holding its caller.
     */
    static final class Postgres extends Connections {
        private final HikariDataSource pool;
        private final String url;
        private final Properties feedProperties = new Properties();

        Postgres(JdbcStoreBuilder options) {
            this.url = options.url;
            long connectMillis = options.connectTimeout.toMillis();
            String socketSeconds = Long.toString(Math.max(1, options.socketTimeout.toSeconds()));
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            if (options.user != null) {
                config.setUsername(options.user);
                feedProperties.setProperty("user", options.user);
            }
            if (options.password != null) {
                config.setPassword(options.password);
                feedProperties.setProperty("password", options.password);
            }
            config.addDataSourceProperty("socketTimeout", socketSeconds);
            config.addDataSourceProperty("tcpKeepAlive", "true");
            feedProperties.setProperty("socketTimeout", socketSeconds);
            feedProperties.setProperty("connectTimeout", Long.toString(Math.max(1, (connectMillis + 999) / 1000)));
            feedProperties.setProperty("tcpKeepAlive", "true");
            config.setPoolName("fusebox-store");
            config.setMaximumPoolSize(2);
            config.setMinimumIdle(0);
            config.setConnectionTimeout(Math.max(250, connectMillis));
            config.setValidationTimeout(Math.max(250, Math.min(connectMillis, 5000)));
            config.setInitializationFailTimeout(-1);
            pool = new HikariDataSource(config);
        }

        @Override
        <T> T with(Work<T> work) throws SQLException {
            try (Connection c = pool.getConnection()) {
                return work.run(c);
            }
        }

        @Override
        <T> T transaction(Connection c, Tx<T> work) throws SQLException {
            return withoutAutoCommit(c, work);
        }

        @Override
        Connection open() throws SQLException {
            return DriverManager.getConnection(url, feedProperties);
        }

        @Override
        public void close() {
            pool.close();
        }
    }

    /**
     * The application's own {@link DataSource} (its pool): every operation borrows a connection
     * and gives it back; the change feed keeps one for as long as it runs. The pool's settings
     * (timeouts, size, validation) are the application's, and closing the store leaves the
     * DataSource open.
     */
    static final class Borrowed extends Connections {
        private final DataSource dataSource;
        private final Dialect dialect;

        Borrowed(DataSource dataSource, Dialect dialect) {
            this.dataSource = dataSource;
            this.dialect = dialect;
        }

        @Override
        <T> T with(Work<T> work) throws SQLException {
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            }
        }

        @Override
        <T> T transaction(Connection c, Tx<T> work) throws SQLException {
            return dialect == Dialect.SQLITE ? immediate(c, work) : withoutAutoCommit(c, work);
        }

        @Override
        Connection open() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void close() {
            // the application's DataSource: it closes it
        }
    }
}
