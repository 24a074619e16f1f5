package dev.fusebox.store.jdbc;

import dev.fusebox.Checks;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/** Builds a {@link JdbcBreakerStore}. Not thread-safe. */
public final class JdbcStoreBuilder {

    /** SQLite's durability for each commit. */
    public enum SqliteSync {
        /**
         * The default. In WAL mode a commit survives the process being killed ({@code kill -9})
         * but the last commits may be lost if the machine loses power or the OS crashes. About
         * 33 µs per write on this project's machine.
         */
        NORMAL,
        /** A commit also survives power loss and OS crashes: an fsync per commit, about 200 µs here. */
        FULL
    }

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_FEED_CHECK_INTERVAL = Duration.ofSeconds(2);

    final String url;
    /** The application's pool, or null when the store opens its own connections to {@link #url}. */
    final DataSource dataSource;
    String user;
    String password;
    SqliteSync sqliteSync = SqliteSync.NORMAL;
    Duration pollInterval = DEFAULT_POLL_INTERVAL;
    Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
    Duration feedCheckInterval = DEFAULT_FEED_CHECK_INTERVAL;
    String instanceId = defaultInstanceId();

    JdbcStoreBuilder(String url) {
        this.url = Objects.requireNonNull(url, "url");
        this.dataSource = null;
        Dialect.of(url); // fail fast on an unsupported URL
    }

    JdbcStoreBuilder(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.url = urlOf(dataSource);
        Dialect.of(url); // fail fast on an unsupported database
    }

    /** The URL the DataSource's connections report: it names the database, and so the SQL to use. */
    private static String urlOf(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getURL();
        } catch (SQLException e) {
            throw new IllegalArgumentException("cannot tell which database the DataSource holds: " + e.getMessage(), e);
        }
    }

    /** PostgreSQL user (or put it in the URL). */
    public JdbcStoreBuilder user(String value) {
        user = value;
        return this;
    }

    /** PostgreSQL password (or put it in the URL). */
    public JdbcStoreBuilder password(String value) {
        password = value;
        return this;
    }

    /** SQLite durability per commit; default {@link SqliteSync#NORMAL}. */
    public JdbcStoreBuilder sqliteSync(SqliteSync value) {
        sqliteSync = Objects.requireNonNull(value, "sqliteSync");
        return this;
    }

    /** SQLite: how often the change feed checks for other processes' writes, 10 ms to 10 s; default 250 ms. */
    public JdbcStoreBuilder pollInterval(Duration value) {
        pollInterval = Checks.range("pollInterval", value, Duration.ofMillis(10), Duration.ofSeconds(10));
        return this;
    }

    /** PostgreSQL: how long an operation waits for a connection, 250 ms to 1 min; default 2 s. */
    public JdbcStoreBuilder connectTimeout(Duration value) {
        connectTimeout = Checks.range("connectTimeout", value, Duration.ofMillis(250), Duration.ofMinutes(1));
        return this;
    }

    /**
     * PostgreSQL: how long a statement may wait on a connection that has gone silent (a dead
     * peer, packets dropped) before it fails, 1 s to 10 min; default 10 s. Without it a write, or
     * the change feed, could wait for the operating system's TCP timeout (minutes to hours).
     */
    public JdbcStoreBuilder socketTimeout(Duration value) {
        socketTimeout = Checks.range("socketTimeout", value, Duration.ofSeconds(1), Duration.ofMinutes(10));
        return this;
    }

    /**
     * PostgreSQL: how often the change feed checks its connection, 100 ms to 1 min; default 2 s. A
     * silent connection is found within this plus the socket timeout, then reconnected.
     */
    public JdbcStoreBuilder feedCheckInterval(Duration value) {
        feedCheckInterval = Checks.range("feedCheckInterval", value, Duration.ofMillis(100), Duration.ofMinutes(1));
        return this;
    }

    /** The id written with each row; default host name, process id and a random suffix. */
    public JdbcStoreBuilder instanceId(String value) {
        Objects.requireNonNull(value, "instanceId");
        if (value.isBlank() || value.length() > 200 || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("instanceId must be 1 to 200 printable characters");
        }
        instanceId = value;
        return this;
    }

    /**
     * The store. SQLite files are opened and migrated now; a PostgreSQL server is contacted on
     * first use, so a store can be created while the server is down.
     *
     * @throws IllegalArgumentException if the SQLite file cannot be opened or migrated
     */
    public JdbcBreakerStore build() {
        try {
            return new JdbcBreakerStore(this);
        } catch (StoreException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String defaultInstanceId() {
        // RuntimeMXBean name is "pid@host".
        return ManagementFactory.getRuntimeMXBean().getName() + "/"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
    }
}
