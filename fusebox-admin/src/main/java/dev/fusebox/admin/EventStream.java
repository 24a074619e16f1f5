package dev.fusebox.admin;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * One client's {@code GET /api/events}: frames wait in a queue of at most {@code maxQueuedBytes}
 * and are written one batch at a time without blocking any thread (Jetty calls back when a write
 * is done). Offering a frame never waits: a client that does not read fast enough to keep its
 * queue under {@code maxQueuedBytes} is dropped (its connection closed) rather than slowing the
 * sender, and it reconnects and starts afresh. Thread-safe.
 */
final class EventStream extends IteratingCallback {

    private final Response response;
    private final Callback done;
    private final EndPoint endPoint;
    private final long maxQueuedBytes;
    private final boolean summaries;
    private final InetAddress client;
    /** Guards the queue and the flags; not the callback's own monitor, which Jetty's class may use. */
    private final Object lock = new Object();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean ending;
    private boolean tooSlow;

    /**
     * @param exchange the response and the callback that completes the exchange
     * @param endPoint the connection, closed to drop a client that falls behind
     * @param client the client's address, or null
     * @param summaries whether the client wants the once-a-second summaries
     */
    EventStream(Exchange exchange, EndPoint endPoint, long maxQueuedBytes, InetAddress client, boolean summaries) {
        this.response = exchange.response();
        this.done = exchange.done();
        this.endPoint = endPoint;
        this.maxQueuedBytes = maxQueuedBytes;
        this.client = client;
        this.summaries = summaries;
    }

    /** A response and the callback that ends its exchange. */
    record Exchange(Response response, Callback done) {
    }

    /** Whether the client asked for summaries. */
    boolean wantsSummaries() {
        return summaries;
    }

    /** The client's address, or null. */
    InetAddress client() {
        return client;
    }

    /**
     * Queues {@code frame} and starts writing it if nothing is being written. Never waits.
     *
     * @return false when the stream has ended, or has just been dropped for falling behind
     */
    boolean offer(byte[] frame) {
        boolean drop;
        synchronized (lock) {
            if (ending) {
                return false;
            }
            // a frame larger than the bound still goes to a client that has caught up
            drop = queuedBytes > 0 && queuedBytes + frame.length > maxQueuedBytes;
            if (drop) {
                ending = true;
                tooSlow = true;
                queue.clear();
                queuedBytes = 0;
            } else {
                queue.add(frame);
                queuedBytes += frame.length;
            }
        }
        if (drop) {
            endPoint.close(); // fails the write that is stuck, which ends the exchange
            iterate();
            return false;
        }
        iterate();
        return true;
    }

    /** Queues {@code frame} without starting to write: for the first frames, before anyone else may write. */
    void queue(byte[] frame) {
        synchronized (lock) {
            queue.add(frame);
            queuedBytes += frame.length;
        }
    }

    /** Ends the stream once what is queued is written (the server is stopping). */
    void end() {
        synchronized (lock) {
            ending = true;
        }
        iterate();
    }

    /** Whether the stream was dropped for falling behind. */
    boolean droppedAsTooSlow() {
        synchronized (lock) {
            return tooSlow;
        }
    }

    @Override
    protected Action process() {
        ByteBuffer batch;
        synchronized (lock) {
            if (queue.isEmpty()) {
                return ending ? Action.SUCCEEDED : Action.IDLE;
            }
            batch = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE, queuedBytes));
            while (!queue.isEmpty() && batch.remaining() >= queue.peek().length) {
                byte[] frame = queue.poll();
                batch.put(frame);
                queuedBytes -= frame.length;
            }
            batch.flip();
        }
        response.write(false, batch, this);
        return Action.SCHEDULED;
    }

    @Override
    protected void onCompleteSuccess() {
        if (droppedAsTooSlow()) {
            done.failed(new IllegalStateException("the client fell behind the event stream"));
        } else {
            response.write(true, ByteBuffer.allocate(0), done); // ends the chunked body cleanly
        }
    }

    @Override
    protected void onCompleteFailure(Throwable cause) {
        done.failed(cause);
    }
}
