package dev.fusebox.admin;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The API's two bounded pools of daemon threads. What is answered from memory (health, metrics,
 * status) runs on two threads and never queues behind what waits for the store (trip, reset,
 * audit), which a database outage can hold for seconds; that runs on threads of its own, with room
 * for four waiting requests per thread. Past their room both refuse work, to be answered 503 BUSY
 * at once. Thread-safe.
 */
final class Lanes implements AutoCloseable {

    /** Threads for requests answered from memory; they never wait, so two keep up with many clients. */
    private static final int READ_THREADS = 2;
    /** Requests answered from memory that may wait for a thread. */
    private static final int READ_QUEUE = 64;
    /** Requests for the store that may wait, per store thread. */
    private static final int STORE_QUEUE_PER_THREAD = 4;

    private final ExecutorService reads = pool("fusebox-admin-read-", READ_THREADS, READ_QUEUE);
    private final ExecutorService store;

    /** @param storeThreads threads for requests that wait for the store */
    Lanes(int storeThreads) {
        store = pool("fusebox-admin-store-", storeThreads, storeThreads * STORE_QUEUE_PER_THREAD);
    }

    /**
     * Runs {@code task} in the store's lane or the memory lane.
     *
     * @throws RejectedExecutionException if that lane is full
     */
    void run(boolean waitsForStore, Runnable task) {
        (waitsForStore ? store : reads).execute(task);
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
        store.shutdownNow();
    }
}
