package dev.fusebox.store.jdbc;

import dev.fusebox.spi.BreakerSnapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a registry about state changes other registries stored: one daemon thread per store,
 * with a connection of its own. PostgreSQL pushes them (LISTEN/NOTIFY); SQLite is polled with
 * {@code PRAGMA data_version}, which changes when another connection commits. A row is delivered
 * when its version is newer than the one last delivered for its key.
 *
 * <p>A PostgreSQL connection can die without a word (a dead peer, a network dropping packets):
 * LISTEN then simply hears nothing. So the feed asks a trivial question on its connection every
 * {@code feedCheckInterval}; a silent connection fails it after the socket timeout. After a lost
 * connection the feed reconnects with backoff and re-reads every row, so nothing that changed
 * meanwhile is missed; while it is disconnected, {@link #problem()} says so (and the store's
 * check reports the store down). One line is logged when it is lost and one when it is back.
 */
abstract class ChangeFeed implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger("dev.fusebox.store");

    final Connections connections;
    final Dialect dialect;
    final String origin;
    final Consumer<BreakerSnapshot> listener;
    final long checkIntervalMillis;
    private final Thread thread;
    volatile boolean running = true;
    /** Null while following; otherwise why not. */
    private volatile String problem = "is not connected yet";

    ChangeFeed(String name, Connections connections, JdbcStoreBuilder options, Consumer<BreakerSnapshot> listener) {
        this.connections = connections;
        this.dialect = Dialect.of(options.url);
        this.origin = options.instanceId;
        this.listener = listener;
        this.checkIntervalMillis = options.feedCheckInterval.toMillis();
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Why the feed is not following changes now, or null when it is. */
    String problem() {
        return problem;
    }

    @Override
    public void run() {
        long backoff = 100;
        while (running) {
            long started = System.nanoTime();
            try (Connection c = connections.open()) {
                follow(c, new HashMap<>());
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (problem == null) {
                    LOG.warn("[CIRCUIT_BREAKER] Change feed lost its connection; reconnecting: " + e.getMessage());
                }
                if (problem == null || !problem.startsWith("is disconnected")) {
                    problem = "is disconnected since " + Instant.now() + ": " + e.getMessage();
                }
                backoff = System.nanoTime() - started > 10_000_000_000L ? 100 : backoff; // it had worked a while
                pause(backoff);
                backoff = Math.min(backoff * 2, 5000);
            }
        }
    }

    /**
     * Follows changes on {@code c} until it fails or the feed stops: first starts listening, then
     * reads every row (what changed while no one listened), calls {@link #following()}, then
     * delivers changes as they come. In that order, so that no change falls between the two.
     */
    abstract void follow(Connection c, Map<String, Long> seen) throws SQLException;

    /** Called once a new connection has caught up. */
    void following() {
        if (problem != null && !problem.startsWith("is not connected yet")) {
            LOG.warn("[CIRCUIT_BREAKER] Change feed connected again; changes made meanwhile were read");
        }
        problem = null;
    }

    /**
     * Delivers every row whose version is newer than the last delivered, this instance's own
     * changes too: the registry ignores a version it already has, and learns of a commit of its
     * own that landed although the connection broke before it was confirmed.
     */
    void deliverChangedRows(Connection c, Map<String, Long> seen) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(dialect.selectState(false))) {
            while (rs.next()) {
                deliverIfNewer(rs, seen);
            }
        }
    }

    void deliverKey(Connection c, String key, Map<String, Long> seen) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(dialect.selectState(true))) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    deliverIfNewer(rs, seen);
                }
            }
        }
    }

    private void deliverIfNewer(ResultSet rs, Map<String, Long> seen) throws SQLException {
        BreakerSnapshot snapshot;
        try {
            snapshot = Rows.read(rs);
        } catch (Rows.BadRowException e) {
            return; // reported by loadAll; a feed does not repeat it every poll
        }
        Long last = seen.get(snapshot.key());
        if (snapshot.version() == 0 || last != null && snapshot.version() <= last) {
            return;
        }
        seen.put(snapshot.key(), snapshot.version());
        try {
            listener.accept(snapshot);
        } catch (RuntimeException e) {
            LOG.warn("[CIRCUIT_BREAKER] Applying a change of " + snapshot.key() + " failed", e);
        }
    }

    void check(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeQuery("SELECT 1").close();
        }
    }

    void pause(long millis) {
        try {
            Thread.sleep(millis); // the feed's own pacing between polls and reconnects
        } catch (InterruptedException e) {
            running = false;
        }
    }

    /** PostgreSQL: LISTEN on {@link JdbcBreakerStore#NOTIFY_CHANNEL}; each NOTIFY names one key. */
    static final class Postgres extends ChangeFeed {
        Postgres(Connections connections, JdbcStoreBuilder options, Consumer<BreakerSnapshot> listener) {
            super("fusebox-store-listen", connections, options, listener);
        }

        @Override
        void follow(Connection c, Map<String, Long> seen) throws SQLException {
            try (Statement st = c.createStatement()) {
                st.execute("LISTEN " + JdbcBreakerStore.NOTIFY_CHANNEL);
            }
            deliverChangedRows(c, seen); // whatever changed while no one was listening
            following();
            PGConnection pg = c.unwrap(PGConnection.class);
            long lastCheck = System.nanoTime();
            while (running) {
                PGNotification[] notifications = pg.getNotifications(500);
                if (notifications != null) {
                    for (PGNotification n : notifications) {
                        String payload = n.getParameter();
                        int split = payload.indexOf('\n');
                        if (split > 0) {
                            deliverKey(c, payload.substring(split + 1), seen);
                        }
                    }
                }
                if (System.nanoTime() - lastCheck >= checkIntervalMillis * 1_000_000) {
                    check(c); // a connection that died silently fails here, after the socket timeout
                    lastCheck = System.nanoTime();
                }
            }
        }
    }

    /** SQLite: polls {@code PRAGMA data_version} every {@code pollInterval}. */
    static final class Sqlite extends ChangeFeed {
        private final long intervalMillis;

        Sqlite(Connections connections, JdbcStoreBuilder options, Consumer<BreakerSnapshot> listener) {
            super("fusebox-store-poll", connections, options, listener);
            this.intervalMillis = options.pollInterval.toMillis();
        }

        @Override
        void follow(Connection c, Map<String, Long> seen) throws SQLException {
            long version = dataVersion(c); // before the rows: a commit in between changes it
            deliverChangedRows(c, seen);
            following();
            while (running) {
                pause(intervalMillis);
                long now = dataVersion(c);
                if (now != version) {
                    version = now;
                    deliverChangedRows(c, seen);
                }
            }
        }

        private static long dataVersion(Connection c) throws SQLException {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA data_version")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
