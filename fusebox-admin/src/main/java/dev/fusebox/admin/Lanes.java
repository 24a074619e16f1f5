package dev.fusebox.admin;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The API's three bounded pools of daemon threads, one per {@link Lane}. What is answered from
 * memory (health, status) runs on two threads and never queues behind a metrics scrape (with
 * thousands of breakers a scrape takes a second and writes megabytes, and {@code /metrics} needs no
 * token) nor behind what waits for the store (trip, reset, audit), which a database outage can hold
 * for seconds. Scrapes run one at a time with room for a few waiting; trips and resets run on
 * threads of their own, with room for four waiting requests per thread; audit reads, which anyone
 * may send, on two more, so that they never crowd an operator's action out. Past its room a lane
 * refuses work, to be answered 503 BUSY at once. Thread-safe.
 */
final class Lanes implements AutoCloseable {

    /** Which pool answers a request. */
    enum Lane {
        /** Answered from memory at once: health, status, errors. */
        MEMORY,
        /** A metrics scrape: from memory, but long and large. */
        SCRAPE,
        /** Waits for the store to take an operator's action: trip, reset. */
        STORE,
        /** Waits for the store to read the audit trail (no token needed): never ahead of an action. */
        AUDIT
    }

    /** Threads for requests answered from memory; they never wait, so two keep up with many clients. */
    private static final int READ_THREADS = 2;
    /** Requests answered from memory that may wait for a thread. */
    private static final int READ_QUEUE = 64;
    /** Requests for the store that may wait, per store thread. */
    private static final int STORE_QUEUE_PER_THREAD = 4;
    /** Scrapes that may wait for the one scraping thread: a few Prometheus servers, not a flood. */
    private static final int SCRAPE_QUEUE = 4;
    /** Threads for audit reads. */
    private static final int AUDIT_THREADS = 2;

    private final ExecutorService reads = pool("fusebox-admin-read-", READ_THREADS, READ_QUEUE);
    private final ExecutorService scrapes = pool("fusebox-admin-scrape-", 1, SCRAPE_QUEUE);
    private final ExecutorService audits = pool("fusebox-admin-audit-", AUDIT_THREADS,
            AUDIT_THREADS * STORE_QUEUE_PER_THREAD);
    private final ExecutorService store;

    /** @param storeThreads threads for requests that wait for the store */
    Lanes(int storeThreads) {
        store = pool("fusebox-admin-store-", storeThreads, storeThreads * STORE_QUEUE_PER_THREAD);
    }

    /**
     * Runs {@code task} in {@code lane}.
     *
     * @throws RejectedExecutionException if that lane is full
     */
    void run(Lane lane, Runnable task) {
        switch (lane) {
            case MEMORY -> reads.execute(task);
            case SCRAPE -> scrapes.execute(task);
            case STORE -> store.execute(task);
            case AUDIT -> audits.execute(task);
        }
    }

    private static ExecutorService pool(String name, int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, name + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    @Override
    public void close() {
        reads.shutdownNow();
        scrapes.shutdownNow();
        audits.shutdownNow();
        store.shutdownNow();
    }
}
