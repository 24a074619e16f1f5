package dev.fusebox.store.jdbc;

import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import dev.fusebox.spi.BreakerStore;
import java.io.IOException;
import java.nio.file.Files;
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
 * <p>Every write is committed before the method returns. Each row records the instance that
 * wrote it, so that the change feed ({@link #subscribe}) tells a registry only about other
 * instances' changes. Thread-safe. See {@code docs/persistence.md} for the consistency model.
 */
public final class JdbcBreakerStore implements BreakerStore, AutoCloseable {

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
            this.connections = dialect == Dialect.SQLITE
                    ? new Connections.Sqlite(options.url, options.sqliteSync.name())
                    : new Connections.Postgres(options.url, options.user, options.password, options.connectTimeout);
        } catch (SQLException e) {
            throw new IllegalArgumentException("cannot open the store at " + options.url + ": " + e.getMessage(), e);
        }
        if (dialect == Dialect.SQLITE) {
            run("migrate the schema", c -> null); // a local file: fail now, with the reason, if it cannot be used
        }
    }

    /** A builder for the store at a JDBC URL ({@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://...}). */
    public static JdbcStoreBuilder builder(String jdbcUrl) {
        return new JdbcStoreBuilder(jdbcUrl);
    }

    /** SQLite in {@code file} (its folder is created), WAL mode, {@code synchronous=NORMAL}. */
    public static JdbcBreakerStore sqlite(Path file) {
        return builder(sqliteUrl(file)).build();
    }

    /**
     * The store at {@code location}: a JDBC URL, or a file path for SQLite.
     *
     * @throws IllegalArgumentException for an unsupported URL or a file that cannot be created
     */
    public static JdbcBreakerStore open(String location) {
        Objects.requireNonNull(location, "location");
        return builder(location.startsWith("jdbc:") ? location : sqliteUrl(Path.of(location))).build();
    }

    static String sqliteUrl(Path file) {
        Path absolute = file.toAbsolutePath();
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create the folder for " + absolute + ": " + e, e);
        }
        return "jdbc:sqlite:" + absolute;
    }

    /** The id written with each row by this store; changes with it are not fed back to it. */
    public String instanceId() {
        return options.instanceId;
    }

    /** Rows skipped by {@link #loadAll} because they could not be read as a breaker. */
    public long invalidRows() {
        return invalidRows.sum();
    }

    @Override
    public List<BreakerSnapshot> loadAll() {
        return run("read breaker state", c -> {
            List<BreakerSnapshot> out = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(dialect.selectState(false))) {
                while (rs.next()) {
                    try {
                        out.add(Rows.read(rs));
                    } catch (Rows.BadRowException e) {
                        invalidRows.increment();
                        LOG.warn("[CIRCUIT_BREAKER] Skipping a stored breaker: " + e.getMessage());
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void save(BreakerSnapshot snapshot) {
        run("save " + snapshot.key(), c -> {
            if (dialect == Dialect.SQLITE) {
                upsert(c, dialect.upsertState(), snapshot);
                return null;
            }
            // The NOTIFY is delivered when the upsert commits, never before and never without it.
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                upsert(c, dialect.upsertState(), snapshot);
                notify.setString(1, NOTIFY_CHANNEL);
                notify.setString(2, options.instanceId + "\n" + snapshot.key());
                notify.execute();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
            return null;
        });
    }

    @Override
    public void saveStats(BreakerSnapshot snapshot) {
        run("save the scores of " + snapshot.key(), c -> {
            upsert(c, dialect.upsertStats(), snapshot);
            return null;
        });
    }

    @Override
    public AuditRecord append(AuditRecord r) {
        return run("append to the audit trail", c -> {
            try (PreparedStatement ps = c.prepareStatement(dialect.appendAudit())) {
                ps.setString(1, r.key());
                ps.setString(2, r.action().name());
                ps.setString(3, r.reason());
                ps.setString(4, r.user());
                ps.setLong(5, r.atMillis());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return r.withId(rs.getLong(1));
                }
            }
        });
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

    @Override
    public synchronized void subscribe(Consumer<BreakerSnapshot> listener) {
        if (feed != null) {
            throw new IllegalStateException("this store already feeds a registry");
        }
        feed = dialect == Dialect.SQLITE
                ? new ChangeFeed.Sqlite(connections, options.instanceId, options.pollInterval, listener)
                : new ChangeFeed.Postgres(connections, options.instanceId, listener);
        feed.start();
    }

    @Override
    public synchronized void close() {
        if (feed != null) {
            feed.stop();
        }
        connections.close();
    }

    private void upsert(Connection c, String sql, BreakerSnapshot snapshot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Rows.bind(ps, snapshot, options.instanceId);
            ps.executeUpdate();
        }
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
