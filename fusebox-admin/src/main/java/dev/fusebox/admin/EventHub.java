package dev.fusebox.admin;

import dev.fusebox.CircuitBreaker;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.BreakerListener;
import dev.fusebox.event.RegistryListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the console sees live. Listens to the registry's breakers and, on a thread of its own
 * ({@code fusebox-admin-events}), passes their changes to the {@link EventStreams} as they come,
 * samples every breaker into the {@link History} once a second and sends the streams a summary
 * of that second, and a heartbeat every {@value #HEARTBEAT_SECONDS} seconds.
 *
 * <p>The listener methods run on the threads that call the breakers and never wait: a change is
 * put in a bounded queue (only while a stream is open), and when the queue is full it is counted
 * and dropped; the next summary still carries the breaker's state. Thread-safe.
 */
final class EventHub implements BreakerListener, RegistryListener, AutoCloseable {

    static final int HEARTBEAT_SECONDS = 15;
    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int QUEUE = 10_000;
    /**
     * How far one client may fall behind before it is dropped, by default. Streams share the
     * frames they are sent, so this bounds what one stalled client keeps alive, not a copy per client.
     */
    static final long MAX_QUEUED_BYTES = 8L << 20;
    private static final Logger LOG = LoggerFactory.getLogger("dev.fusebox.admin");

    /** A breaker that appeared in or left the registry. */
    private record Membership(boolean added, String key, long atMillis) {
    }

    private final CircuitBreakerRegistry breakers;
    private final History history;
    private final EventStreams streams;
    private final BlockingQueue<Object> changes = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    /** True while the registry reports the breakers it already had, whose counters do not start at 0. */
    private volatile boolean starting = true;
    private volatile boolean closed;
    /** The last summary sent and when (System.nanoTime), for a stream that opens between two. */
    private volatile byte[] lastSummary;
    private volatile long lastSummaryAt;

    EventHub(CircuitBreakerRegistry breakers, History history, EventStreams streams) {
        this.breakers = breakers;
        this.history = history;
        this.streams = streams;
        breakers.addRegistryListener(this); // reports the existing breakers now, on this thread
        starting = false;
        breakers.addListener(this);
        thread = new Thread(this::run, "fusebox-admin-events");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void onBreakerAdded(CircuitBreaker breaker) {
        if (closed) {
            return; // a registry cannot forget a registry listener; a closed hub ignores it
        }
        history.add(breaker.key(), starting ? History.counters(breaker.status()) : null);
        offer(new Membership(true, breaker.key(), breakers.clock().wallMillis()));
    }

    @Override
    public void onBreakerRemoved(CircuitBreaker breaker) {
        history.remove(breaker.key());
        if (!closed) {
            offer(new Membership(false, breaker.key(), breakers.clock().wallMillis()));
        }
    }

    @Override
    public void onTrip(BreakerEvent.Tripped event) {
        offer(event);
    }

    @Override
    public void onReset(BreakerEvent.Reset event) {
        offer(event);
    }

    @Override
    public void onResetDenied(BreakerEvent.ResetDenied event) {
        offer(event);
    }

    @Override
    public void onStateChange(BreakerEvent.StateChanged event) {
        offer(event);
    }

    /**
     * Answers {@code GET /api/events}: opens a stream for the client, within the streams' budget,
     * and sends it the first frame, which commits the answer's headers.
     *
     * @throws ApiError for a bad {@code summaries} parameter, or a 503 when the budget is spent
     */
    void open(Request request, Response response, Callback done) {
        String param = Paths.query(request.getHttpURI().getQuery()).get("summaries");
        if (param != null && !param.equals("true") && !param.equals("false")) {
            throw ApiError.badRequest("summaries must be true or false");
        }
        boolean summaries = !"false".equals(param);
        InetAddress client = request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress a
                ? a.getAddress() : null;
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        // Headers and first frames are in place before the stream is listed: from then on the
        // events thread may write to it, and hello must come first.
        EventStream stream = streams.open(client, done, ends -> {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put("X-Accel-Buffering", "no"); // nginx: pass each event on at once
            Headers.secure(response.getHeaders());
            EventStream s = new EventStream(new EventStream.Exchange(response, ends), endPoint, streams.bufferBytes(),
                    client, summaries);
            s.queue(EventJson.hello(breakers.clock().wallMillis(), summaries));
            byte[] summary = lastSummary;
            if (summaries && summary != null && System.nanoTime() - lastSummaryAt < TICK_NANOS * 3 / 2) {
                s.queue(summary); // a page shows the figures at once instead of after the next tick
            }
            return s;
        });
        stream.iterate(); // writes them, which commits the headers
    }

    /** Queues a change for the streams; never waits. */
    private void offer(Object change) {
        if (streams.count() > 0 && !changes.offer(change)) {
            dropped.incrementAndGet();
        }
    }

    /** Changes dropped because the queue was full. */
    long dropped() {
        return dropped.get();
    }

    private void run() {
        long next = System.nanoTime() + TICK_NANOS;
        long ticks = 0;
        while (!closed) {
            try {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Object change = changes.poll(wait, TimeUnit.NANOSECONDS);
                    if (change != null) {
                        send(change);
                    }
                    continue;
                }
                tick();
                ticks++;
                if (ticks % HEARTBEAT_SECONDS == 0) {
                    streams.broadcast(EventJson.HEARTBEAT, false);
                }
                long now = System.nanoTime();
                next = now - next > TICK_NANOS ? now + TICK_NANOS : next + TICK_NANOS; // skip missed ticks
            } catch (InterruptedException stop) {
                return; // close() interrupts
            } catch (RuntimeException e) {
                // a failing breaker status or a broken stream must not end the console's live view
                LOG.warn("[CIRCUIT_BREAKER] The console's event sampling failed; it goes on", e);
            }
        }
    }

    private void send(Object change) {
        byte[] frame = change instanceof Membership m ? EventJson.membership(m.added(), m.key(), m.atMillis())
                : EventJson.of((BreakerEvent) change);
        if (frame != null) {
            streams.broadcast(frame, false);
        }
    }

    /** One sample of every breaker, and its summary for the streams that want one. */
    private void tick() {
        // changes first, so that a summary rarely shows a state whose change the client has not had
        for (Object change = changes.poll(); change != null; change = changes.poll()) {
            send(change);
        }
        long at = breakers.clock().wallMillis();
        List<History.Second> seconds = history.sample(breakers, at);
        if (streams.wantSummaries()) {
            byte[] summary = EventJson.summary(breakers, at, history.size(), seconds);
            lastSummaryAt = System.nanoTime();
            lastSummary = summary;
            streams.broadcast(summary, true);
        }
    }

    @Override
    public void close() {
        closed = true;
        breakers.removeListener(this);
        breakers.removeRegistryListener(this);
        thread.interrupt();
        streams.endAll();
        history.clear();
    }
}
