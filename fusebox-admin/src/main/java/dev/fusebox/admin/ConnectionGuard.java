package dev.fusebox.admin;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps slow and greedy clients from starving the admin API, in the manner of nginx's
 * {@code client_header_timeout} and {@code limit_conn}:
 *
 * <ul>
 *   <li>A request must arrive whole, headers and body, within the request timeout of its first
 *       byte (of the connect, for a connection's first request), and the client must take the
 *       answer within the request timeout of its first byte. The idle timeout alone cannot do
 *       this: one header line every few seconds, or one read, keeps resetting it. The time the
 *       API takes to work out the answer (a trip waiting for the store) does not count.
 *   <li>One client (one remote IP address) holds at most its share of connections, and all
 *       clients together at most the connection limit. A new connection past either limit makes
 *       room by closing the connection that has waited longest for its request: first idle
 *       keep-alive connections, then those still receiving one, oldest first. A connection whose
 *       request is being answered is never closed; if every one is, the new connection is.
 * </ul>
 *
 * A well-behaved client sends its request within milliseconds of connecting, so it is the newest
 * connection, not the oldest, and is served even when a slow client shares its address. Jetty
 * tells the guard about connections through {@link Connection.Listener}; the {@link ApiHandler}
 * tells it when a request has arrived ({@link #received}), when its answer starts to go out
 * ({@link #sending}) and when it is written ({@link #waiting}). Thread-safe.
 */
final class ConnectionGuard implements Connection.Listener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("dev.fusebox.admin");
    private static final long REPORT_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Where a connection is in its exchange; the deadline runs while it receives or sends. */
    private enum Phase { IDLE, RECEIVING, ANSWERING, SENDING }

    private static final class Tracked {
        final Connection connection;
        final InetAddress client;
        Phase phase = Phase.RECEIVING; // a new connection's first request starts with the connect
        long since;
        long bytesWhenIdle;

        Tracked(Connection connection, InetAddress client, long now) {
            this.connection = connection;
            this.client = client;
            this.since = now;
        }
    }

    private final int maxConnections;
    private final int maxPerClient;
    private final long requestTimeoutNanos;
    private final Map<Connection, Tracked> open = new IdentityHashMap<>();
    private final Map<InetAddress, Integer> perClient = new HashMap<>();
    private final ScheduledExecutorService sweeper;
    private long timedOut;
    private long overShare;
    private long overLimit;
    private long lastReport = System.nanoTime();

    ConnectionGuard(int maxConnections, int maxPerClient, Duration requestTimeout) {
        this.maxConnections = maxConnections;
        this.maxPerClient = maxPerClient;
        this.requestTimeoutNanos = requestTimeout.toNanos();
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fusebox-admin-guard");
            t.setDaemon(true);
            return t;
        });
        // A tenth of the timeout between sweeps: a request is closed at most 10 % past its deadline.
        long every = Math.max(TimeUnit.MILLISECONDS.toNanos(5), Math.min(requestTimeoutNanos / 10,
                TimeUnit.SECONDS.toNanos(1)));
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onOpened(Connection connection) {
        // Jetty reports every layer (TLS, then HTTP) of a connection; the HTTP one stands for it.
        if (!(connection instanceof ConnectionMetaData meta)) {
            return;
        }
        InetAddress client = meta.getRemoteSocketAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        Connection victim = null;
        synchronized (this) {
            open.put(connection, new Tracked(connection, client, System.nanoTime()));
            int count = perClient.merge(client, 1, Integer::sum);
            if (count > maxPerClient) {
                overShare++;
                victim = forget(makeRoom(connection, client));
            } else if (open.size() > maxConnections) {
                overLimit++;
                victim = forget(makeRoom(connection, null));
            }
        }
        if (victim != null) {
            closeNow(victim);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        forget(connection);
    }

    /**
     * Stops counting {@code connection}: when it closes, or as soon as the guard decides to close
     * it, because Jetty reports the close later, from another thread.
     */
    private synchronized Connection forget(Connection connection) {
        Tracked t = open.remove(connection);
        if (t != null) {
            perClient.computeIfPresent(t.client, (k, n) -> n == 1 ? null : n - 1);
        }
        return connection;
    }

    /** The request on {@code connection} has arrived whole and is being answered: no deadline, never closed. */
    synchronized void received(Connection connection) {
        Tracked t = open.get(connection);
        if (t != null) {
            t.phase = Phase.ANSWERING;
        }
    }

    /** The answer on {@code connection} starts to go out: the client has the request timeout to take it. */
    synchronized void sending(Connection connection) {
        Tracked t = open.get(connection);
        if (t != null) {
            t.phase = Phase.SENDING;
            t.since = System.nanoTime();
        }
    }

    /** The answer on {@code connection} is written: it waits for the next request. */
    synchronized void waiting(Connection connection) {
        Tracked t = open.get(connection);
        if (t != null) {
            t.phase = Phase.IDLE;
            t.since = System.nanoTime();
            t.bytesWhenIdle = connection.getBytesIn();
        }
    }

    /**
     * The connection to close so that {@code newcomer} fits: of {@code client} (or of anyone when
     * null), the idle one idle longest, else the one receiving its request longest, else the newcomer.
     */
    private Connection makeRoom(Connection newcomer, InetAddress client) {
        Tracked victim = null;
        for (Tracked t : open.values()) {
            boolean answered = t.phase == Phase.ANSWERING || t.phase == Phase.SENDING;
            if (t.connection == newcomer || answered || client != null && !client.equals(t.client)) {
                continue;
            }
            if (victim == null || before(t, victim)) {
                victim = t;
            }
        }
        return victim == null ? newcomer : victim.connection;
    }

    private static boolean before(Tracked a, Tracked b) {
        if (a.phase != b.phase) {
            return a.phase == Phase.IDLE;
        }
        return a.since - b.since < 0;
    }

    private void sweep() {
        long now = System.nanoTime();
        List<Connection> late = new ArrayList<>();
        String report = null;
        synchronized (this) {
            for (Tracked t : open.values()) {
                if (t.phase == Phase.IDLE && t.connection.getBytesIn() != t.bytesWhenIdle) {
                    // the next request has begun (to within one sweep)
                    t.phase = Phase.RECEIVING;
                    t.since = now;
                } else if ((t.phase == Phase.RECEIVING || t.phase == Phase.SENDING)
                        && now - t.since > requestTimeoutNanos) {
                    late.add(t.connection);
                    timedOut++;
                }
            }
            late.forEach(this::forget);
            if (now - lastReport > REPORT_EVERY_NANOS && timedOut + overShare + overLimit > 0) {
                // at most one line a minute, however hard the API is pressed
                report = "[CIRCUIT_BREAKER] Admin API closed " + timedOut
                        + " connection(s) whose request did not arrive (or answer did not leave) within "
                        + TimeUnit.NANOSECONDS.toMillis(requestTimeoutNanos) + " ms, " + overShare
                        + " to keep a client within " + maxPerClient + " connections and " + overLimit
                        + " to stay within " + maxConnections + " since the last such line";
                timedOut = 0;
                overShare = 0;
                overLimit = 0;
                lastReport = now;
            }
        }
        late.forEach(ConnectionGuard::closeNow);
        if (report != null) {
            LOG.warn(report);
        }
    }

    private static void closeNow(Connection connection) {
        connection.getEndPoint().close();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
