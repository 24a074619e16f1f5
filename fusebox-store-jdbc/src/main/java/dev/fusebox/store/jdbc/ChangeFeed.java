package dev.fusebox.store.jdbc;

import dev.fusebox.spi.BreakerSnapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a registry about state changes other registries wrote: one daemon thread per store,
 * with a connection of its own. PostgreSQL pushes them (LISTEN/NOTIFY); SQLite is polled with
 * {@code PRAGMA data_version}, which changes when another connection commits. After a lost
 * connection the feed reconnects with backoff and re-reads every row, so nothing that changed
 * meanwhile is missed (the registry ignores changes it already has).
 */
abstract class ChangeFeed implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger("dev.fusebox.store");

    final Connections connections;
    final Dialect dialect;
    final String origin;
    final Consumer<BreakerSnapshot> listener;
    private final Thread thread;
    volatile boolean running = true;

    ChangeFeed(String name, Connections connections, Dialect dialect, String origin, Consumer<BreakerSnapshot> listener) {
        this.connections = connections;
        this.dialect = dialect;
        this.origin = origin;
        this.listener = listener;
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

    @Override
    public void run() {
        long backoff = 100;
        boolean reported = false;
        while (running) {
            try (Connection c = connections.open()) {
                follow(c);
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!reported) {
                    LOG.warn("[CIRCUIT_BREAKER] Change feed lost its connection; reconnecting: " + e);
                    reported = true;
                }
                pause(backoff);
                backoff = Math.min(backoff * 2, 5000);
                continue;
            }
            backoff = 100;
            reported = false;
        }
    }

    /** Follows changes on {@code c} until it fails or the feed stops. */
    abstract void follow(Connection c) throws SQLException;

    /** Delivers every row another instance wrote whose state changed after what was seen of it. */
    void deliverChangedRows(Connection c, Map<String, Long> seen) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(dialect.selectState(false))) {
            while (rs.next()) {
                if (origin.equals(rs.getString("origin"))) {
                    continue;
                }
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
        if (last != null && snapshot.stateChangedAt() <= last) {
            return;
        }
        seen.put(snapshot.key(), snapshot.stateChangedAt());
        try {
            listener.accept(snapshot);
        } catch (RuntimeException e) {
            LOG.warn("[CIRCUIT_BREAKER] Applying a change of " + snapshot.key() + " failed", e);
        }
    }

    void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            running = false;
        }
    }

    /** PostgreSQL: LISTEN on {@link JdbcBreakerStore#NOTIFY_CHANNEL}; each NOTIFY names one key. */
    static final class Postgres extends ChangeFeed {
        Postgres(Connections connections, String origin, Consumer<BreakerSnapshot> listener) {
            super("fusebox-store-listen", connections, Dialect.POSTGRES, origin, listener);
        }

        @Override
        void follow(Connection c) throws SQLException {
            try (Statement st = c.createStatement()) {
                st.execute("LISTEN " + JdbcBreakerStore.NOTIFY_CHANNEL);
            }
            Map<String, Long> seen = new HashMap<>();
            deliverChangedRows(c, seen); // whatever changed while no one was listening
            PGConnection pg = c.unwrap(PGConnection.class);
            while (running) {
                PGNotification[] notifications = pg.getNotifications(500);
                if (notifications == null) {
                    continue;
                }
                for (PGNotification n : notifications) {
                    String payload = n.getParameter();
                    int split = payload.indexOf('\n');
                    if (split > 0 && !payload.substring(0, split).equals(origin)) {
                        deliverKey(c, payload.substring(split + 1), seen);
                    }
                }
            }
        }
    }

    /** SQLite: polls {@code PRAGMA data_version} every {@code interval}. */
    static final class Sqlite extends ChangeFeed {
        private final long intervalMillis;

        Sqlite(Connections connections, String origin, Duration interval, Consumer<BreakerSnapshot> listener) {
            super("fusebox-store-poll", connections, Dialect.SQLITE, origin, listener);
            this.intervalMillis = interval.toMillis();
        }

        @Override
        void follow(Connection c) throws SQLException {
            Map<String, Long> seen = new HashMap<>();
            long version = Long.MIN_VALUE;
            while (running) {
                long now = dataVersion(c);
                if (now != version) {
                    version = now;
                    deliverChangedRows(c, seen);
                }
                pause(intervalMillis);
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
