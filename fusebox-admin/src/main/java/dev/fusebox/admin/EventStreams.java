package dev.fusebox.admin;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open event streams, within their own budget: at most {@code max} at once and at most
 * {@code maxPerClient} per client address. A stream holds a connection (never a thread) for as
 * long as the client listens, so the budget keeps streams from taking the connections that the
 * API's requests need. Thread-safe.
 */
final class EventStreams {

    private static final Logger LOG = LoggerFactory.getLogger("dev.fusebox.admin");

    private final int max;
    private final int maxPerClient;
    private final long bufferBytes;
    private final List<EventStream> open = new ArrayList<>();
    private final Map<InetAddress, Integer> perClient = new HashMap<>();
    private volatile int count;
    private volatile int withSummaries;

    /** @param bufferBytes how far one stream may fall behind before it is dropped */
    EventStreams(int max, int maxPerClient, long bufferBytes) {
        this.max = max;
        this.maxPerClient = maxPerClient;
        this.bufferBytes = bufferBytes;
    }

    /** How far one stream may fall behind before it is dropped. */
    long bufferBytes() {
        return bufferBytes;
    }

    /**
     * Opens a stream for {@code client} if it fits the budget.
     *
     * @param done the callback that ends the client's exchange
     * @param open makes the stream, given the callback it must end the exchange with: {@code done},
     *     after the stream is forgotten here
     * @throws ApiError a 503 {@code TOO_MANY_STREAMS} saying which limit the stream is over
     */
    synchronized EventStream open(InetAddress client, Callback done, Function<Callback, EventStream> open) {
        if (this.open.size() >= max) {
            throw new ApiError(503, "TOO_MANY_STREAMS", "the server already serves " + max
                    + " event streams, its limit; retry later");
        }
        if (perClient.getOrDefault(client, 0) >= maxPerClient) {
            throw new ApiError(503, "TOO_MANY_STREAMS", "this address already holds " + maxPerClient
                    + " event streams, its limit; close a console tab or retry later");
        }
        EventStream[] made = new EventStream[1];
        made[0] = open.apply(new Callback.Nested(done) {
            @Override
            public void succeeded() {
                forget(made[0]);
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                forget(made[0]);
                if (made[0].droppedAsTooSlow()) {
                    LOG.warn("[CIRCUIT_BREAKER] Dropped the event stream of " + made[0].client()
                            + ": it did not read its events fast enough (it reconnects and starts afresh)");
                }
                super.failed(x);
            }
        });
        this.open.add(made[0]);
        perClient.merge(client, 1, Integer::sum);
        recount();
        return made[0];
    }

    private synchronized void forget(EventStream stream) {
        if (open.remove(stream)) {
            perClient.computeIfPresent(stream.client(), (k, n) -> n == 1 ? null : n - 1);
            recount();
        }
    }

    private void recount() {
        count = open.size();
        withSummaries = (int) open.stream().filter(EventStream::wantsSummaries).count();
    }

    /** Streams open now. */
    int count() {
        return count;
    }

    /** Whether any open stream wants summaries. */
    boolean wantSummaries() {
        return withSummaries > 0;
    }

    /** Offers {@code frame} to every stream (a summary only to those that want summaries). Never waits. */
    void broadcast(byte[] frame, boolean summary) {
        for (EventStream s : snapshot()) {
            if (!summary || s.wantsSummaries()) {
                s.offer(frame);
            }
        }
    }

    /** Ends every stream (the server is stopping). */
    void endAll() {
        snapshot().forEach(EventStream::end);
    }

    private synchronized List<EventStream> snapshot() {
        return List.copyOf(open);
    }
}
