package dev.fusebox.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** Where statements run: one SQLite connection, or a small HikariCP pool for PostgreSQL. */
abstract class Connections implements AutoCloseable {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    abstract <T> T with(Work<T> work) throws SQLException;

    /** A new connection of its own, for a change feed. */
    abstract Connection open() throws SQLException;

    @Override
    public abstract void close();

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
     * operation fails fast (connection timeout) until it is up.
     */
    static final class Postgres extends Connections {
        private final HikariDataSource pool;
        private final String url;
        private final String user;
        private final String password;

        Postgres(String url, String user, String password, Duration connectTimeout) {
            this.url = url;
            this.user = user;
            this.password = password;
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            if (user != null) {
                config.setUsername(user);
            }
            if (password != null) {
                config.setPassword(password);
            }
            config.setPoolName("fusebox-store");
            config.setMaximumPoolSize(2);
            config.setMinimumIdle(0);
            config.setConnectionTimeout(Math.max(250, connectTimeout.toMillis()));
            config.setValidationTimeout(Math.max(250, Math.min(connectTimeout.toMillis(), 5000)));
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
        Connection open() throws SQLException {
            return user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, password);
        }

        @Override
        public void close() {
            pool.close();
        }
    }
}
