package dev.fusebox.admin;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The API's bounded pools of daemon threads, one per {@link Lane}. What is answered from memory
 * (health, status) runs on two threads and never queues behind a metrics scrape (with thousands of
 * breakers a scrape takes a second and writes megabytes, and {@code /metrics} needs no token) nor
 * behind what waits for the store, which a database outage can hold for seconds. Scrapes run one
 * at a time with room for a few waiting; trips and resets run on threads of their own, with room
 * for four waiting requests per thread; audit reads, which anyone may send, on two more, so that
 * they never crowd an operator's action out. Past its room a lane refuses work, to be answered
 * 503 BUSY at once. Thread-safe.
 */
final class Lanes implements AutoCloseable {

    /** Which pool answers a request: its threads, the requests that may wait, and what the refused are told. */
    enum Lane {
        /** Answered from memory at once: health, status, errors. They never wait, so two threads keep up. */
        MEMORY("read", 2, 64, "too many admin requests at once; retry"),
        /** A metrics scrape: from memory, but long and large; a few Prometheus servers, not a flood. */
        SCRAPE("scrape", 1, 4, "too many metrics scrapes at once; retry"),
        /** Waits for the store to take an operator's action: trip, reset. Threads: the server's setting. */
        STORE("store", 0, 0, "too many requests are waiting for the store; retry later"),
        /** Waits for the store to read the audit trail (no token needed): never ahead of an action. */
        AUDIT("audit", 2, 2 * Lane.WAITING_PER_STORE_THREAD, STORE.busy);

        /** Requests for the store that may wait, per thread. */
        private static final int WAITING_PER_STORE_THREAD = 4;

        private final String name;
        private final int threads;
        private final int waiting;
        final String busy;

        Lane(String name, int threads, int waiting, String busy) {
            this.name = name;
            this.threads = threads;
            this.waiting = waiting;
            this.busy = busy;
        }
    }

    private final Map<Lane, ExecutorService> pools = new EnumMap<>(Lane.class);

    /** @param storeThreads threads for trips and resets, which wait for the store */
    Lanes(int storeThreads) {
        for (Lane lane : Lane.values()) {
            boolean store = lane == Lane.STORE;
            pools.put(lane, pool(lane.name, store ? storeThreads : lane.threads,
                    store ? storeThreads * Lane.WAITING_PER_STORE_THREAD : lane.waiting));
        }
    }

    /**
     * Runs {@code task} in {@code lane}.
     *
     * @throws RejectedExecutionException if that lane is full
     */
    void run(Lane lane, Runnable task) {
        pools.get(lane).execute(task);
    }

    private static ExecutorService pool(String name, int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, "fusebox-admin-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    @Override
    public void close() {
        pools.values().forEach(ExecutorService::shutdownNow);
    }
}
