package dev.fusebox.store.jdbc;

import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import dev.fusebox.spi.BreakerStore;
import dev.fusebox.spi.CommitResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Breaker state and the audit trail in SQLite (one host) or PostgreSQL (a fleet), same schema:
 * tables {@code circuit_breaker_state} and {@code circuit_breaker_audit}, migrated on first use.
 *
 * <pre>{@code
 * CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder()
 *         .store(JdbcBreakerStore.sqlite(Path.of("data/circuit_breaker.db")))
 *         .build();
 * }</pre>
 *
 * <p>Every write is one transaction, committed before the method returns, and a failed commit
 * (a full disk, a lost connection) is reported, never taken for success. A state change is a
 * compare-and-set on the row's {@code version}. Each row records the instance that wrote it, so
 * that the change feed ({@link #subscribe}) tells a registry only about other instances'
 * changes. A SQLite file is checked for damage ({@code PRAGMA quick_check}) before its state is
 * read, and created readable by its owner only. Thread-safe. See {@code docs/persistence.md} for
 * the consistency model.
 */
public final class JdbcBreakerStore implements BreakerStore {

    /** The default SQLite file, relative to the working directory. */
    public static final Path DEFAULT_SQLITE_FILE = Path.of("data", "circuit_breaker.db");
    /** The PostgreSQL channel state changes are announced on. */
    public static final String NOTIFY_CHANNEL = "fusebox_breakers";

    private static final Logger LOG = LoggerFactory.getLogger("dev.fusebox.store");

    private final JdbcStoreBuilder options;
    private final Dialect dialect;
    private final Connections connections;
    private final LongAdder invalidRows = new LongAdder();
    private volatile boolean migrated;
    private ChangeFeed feed;

    JdbcBreakerStore(JdbcStoreBuilder options) {
        this.options = options;
        this.dialect = Dialect.of(options.url);
        try {
            this.connections = options.dataSource != null ? new Connections.Borrowed(options.dataSource, dialect)
                    : dialect == Dialect.SQLITE ? new Connections.Sqlite(options.url, options.sqliteSync.name())
                    : new Connections.Postgres(options);
        } catch (SQLException e) {
            throw new IllegalArgumentException("cannot open the store at " + redacted() + ": " + e.getMessage(), e);
        }
        if (dialect == Dialect.SQLITE || options.dataSource != null) {
            // a local file, or a database that just answered: fail now, with the reason, if it cannot be used
            run("migrate the schema", c -> null);
        }
    }

    /** A builder for the store at a JDBC URL ({@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://...}). */
    public static JdbcStoreBuilder builder(String jdbcUrl) {
        return new JdbcStoreBuilder(jdbcUrl);
    }

    /**
     * A builder for the store in the application's own {@code dataSource} (SQLite or PostgreSQL,
     * told from its connections' URL). Each operation borrows a connection from it; the change
     * feed keeps one. The pool's timeouts apply instead of {@link JdbcStoreBuilder#connectTimeout}
     * and {@link JdbcStoreBuilder#socketTimeout}, and closing the store leaves the DataSource open.
     * Unlike a URL, the database must answer now: its first connection says which database it is.
     *
     * @throws IllegalArgumentException when no connection can be had or the database is neither
     *     SQLite nor PostgreSQL
     */
    public static JdbcStoreBuilder builder(DataSource dataSource) {
        return new JdbcStoreBuilder(dataSource);
    }

    /** SQLite in {@code file} (its folder is created owner-only if missing), WAL mode, {@code synchronous=NORMAL}. */
    public static JdbcBreakerStore sqlite(Path file) {
        return builder(SqliteFiles.url(file)).build();
    }

    /**
     * The store at {@code location}: a JDBC URL, or a file path for SQLite.
     *
     * @throws IllegalArgumentException for an unsupported URL or a file that cannot be created
     */
    public static JdbcBreakerStore open(String location) {
        Objects.requireNonNull(location, "location");
        return builder(location.startsWith("jdbc:") ? location : SqliteFiles.url(Path.of(location))).build();
    }

    /** The id written with each row by this store; changes with it are not fed back to it. */
    public String instanceId() {
        return options.instanceId;
    }

    /** Rows skipped by {@link #loadAll} because they name no breaker. */
    public long invalidRows() {
        return invalidRows.sum();
    }

    /**
     * Every stored breaker. A SQLite file is checked for damage first.
     *
     * @throws StoreException when the state cannot be read completely (damaged file, no database)
     */
    @Override
    public List<BreakerSnapshot> loadAll() {
        return run("read breaker state", c -> {
            if (dialect == Dialect.SQLITE) {
                SqliteFiles.checkIntegrity(c);
            }
            List<BreakerSnapshot> out = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(dialect.selectState(false))) {
                while (rs.next()) {
                    try {
                        out.add(Rows.read(rs));
                    } catch (Rows.BadRowException e) {
                        invalidRows.increment();
                        LOG.warn("[CIRCUIT_BREAKER] Skipping a stored row: " + e.getMessage());
                    }
                }
            }
            return out;
        });
    }

    @Override
    public CommitResult commit(BreakerSnapshot snapshot, long expectedVersion, List<AuditRecord> audit) {
        if (snapshot.version() != expectedVersion + 1) {
            throw new IllegalArgumentException("a change based on version " + expectedVersion + " must have version "
                    + (expectedVersion + 1) + ", but had " + snapshot.version());
        }
        return run("commit the state of " + snapshot.key(), c -> connections.transaction(c, () -> {
            if (expectedVersion > 0) {
                // The upsert below would insert a missing row; a change based on a stored version needs that row.
                BreakerSnapshot stored = current(c, snapshot.key());
                if (stored.version() != expectedVersion) {
                    return CommitResult.conflict(stored);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(dialect.commitState())) {
                int next = Rows.bind(ps, snapshot, options.instanceId);
                ps.setLong(next, expectedVersion);
                if (ps.executeUpdate() != 1) {
                    return CommitResult.conflict(current(c, snapshot.key()));
                }
            }
            List<AuditRecord> written = appendAll(c, audit);
            if (dialect == Dialect.POSTGRES) {
                // The NOTIFY is delivered when the change commits, never before and never without it.
                try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                    notify.setString(1, NOTIFY_CHANNEL);
                    notify.setString(2, options.instanceId + "\n" + snapshot.key());
                    notify.execute();
                }
            }
            return CommitResult.committed(written);
        }));
    }

    /** The stored row of {@code key}; a closed version-0 snapshot when there is none. */
    private BreakerSnapshot current(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(dialect.selectState(true))) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Rows.read(rs) : BreakerSnapshot.builder(key, dev.fusebox.State.CLOSED).build();
            }
        }
    }

    @Override
    public void saveStats(BreakerSnapshot snapshot) {
        run("save the scores of " + snapshot.key(), c -> connections.transaction(c, () -> {
            try (PreparedStatement ps = c.prepareStatement(dialect.upsertStats())) {
                Rows.bind(ps, snapshot.toBuilder().version(0).build(), options.instanceId);
                ps.executeUpdate();
            }
            return null;
        }));
    }

    @Override
    public List<AuditRecord> append(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        return run("append to the audit trail", c -> connections.transaction(c, () -> appendAll(c, records)));
    }

    private List<AuditRecord> appendAll(Connection c, List<AuditRecord> records) throws SQLException {
        List<AuditRecord> out = new ArrayList<>(records.size());
        try (PreparedStatement ps = c.prepareStatement(dialect.appendAudit())) {
            for (AuditRecord r : records) {
                ps.setString(1, r.key());
                ps.setString(2, r.action().name());
                ps.setString(3, r.reason());
                ps.setString(4, r.user());
                ps.setLong(5, r.atMillis());
                out.add(r.withId(dialect == Dialect.POSTGRES ? returnedId(ps) : insertedRowId(ps, c)));
            }
        }
        return out;
    }

    private static long returnedId(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the database did not return the id of the audit row");
            }
            return rs.getLong(1);
        }
    }

    private static long insertedRowId(PreparedStatement ps, Connection c) throws SQLException {
        if (ps.executeUpdate() != 1) {
            throw new SQLException("the audit row was not inserted");
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT last_insert_rowid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public List<AuditRecord> audit(String key, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be > 0, but was " + limit);
        }
        return run("read the audit trail", c -> {
            try (PreparedStatement ps = c.prepareStatement(dialect.selectAudit(key != null))) {
                int i = 1;
                if (key != null) {
                    ps.setString(i++, key);
                }
                ps.setInt(i, limit);
                List<AuditRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Rows.readAudit(rs));
                    }
                }
                return out;
            }
        });
    }

    /**
     * Asks the database a trivial question (and commits a heartbeat row when asked to write);
     * fails when the change feed has lost its connection.
     */
    @Override
    public void check(boolean write) {
        ChangeFeed f;
        synchronized (this) {
            f = feed;
        }
        String feedProblem = f == null ? null : f.problem();
        if (feedProblem != null) {
            throw new StoreException("the change feed " + feedProblem, null);
        }
        run("check the store", c -> {
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(5);
                st.executeQuery("SELECT 1").close();
            }
            if (write) {
                connections.transaction(c, () -> {
                    try (PreparedStatement ps = c.prepareStatement(dialect.heartbeat())) {
                        ps.setString(1, options.instanceId);
                        ps.setLong(2, System.currentTimeMillis());
                        ps.executeUpdate();
                    }
                    return null;
                });
            }
            return null;
        });
    }

    @Override
    public synchronized void subscribe(Consumer<BreakerSnapshot> listener) {
        if (feed != null) {
            throw new IllegalStateException("this store already feeds a registry");
        }
        feed = dialect == Dialect.SQLITE
                ? new ChangeFeed.Sqlite(connections, options, listener)
                : new ChangeFeed.Postgres(connections, options, listener);
        feed.start();
    }

    @Override
    public synchronized void close() {
        if (feed != null) {
            feed.stop();
        }
        connections.close();
    }

    private <T> T run(String what, Connections.Work<T> work) {
        try {
            return connections.with(c -> {
                if (!migrated) {
                    synchronized (this) {
                        if (!migrated) {
                            Migrations.migrate(c, dialect);
                            migrated = true;
                        }
                    }
                }
                return work.run(c);
            });
        } catch (SQLException e) {
            throw new StoreException("could not " + what + " (" + redacted() + "): " + e.getMessage(), e);
        }
    }

    /** The URL without a password someone may have put in it. */
    private String redacted() {
        return options.url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
