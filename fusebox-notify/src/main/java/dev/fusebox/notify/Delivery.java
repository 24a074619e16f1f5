package dev.fusebox.notify;

import dev.fusebox.spi.Scheduler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts JSON bodies from one background thread, in order, through a bounded queue; failed
 * attempts (network errors, 429, 5xx) are retried after an exponential backoff measured on the
 * scheduler. URLs are never logged: webhook URLs carry their secret.
 */
final class Delivery {

    private static final Logger LOG = LoggerFactory.getLogger("dev.fusebox.notify");

    private final HttpClient http;
    private final Scheduler scheduler;
    private final Duration timeout;
    private final int maxAttempts;
    private final long backoffNanos;
    private final ThreadPoolExecutor sender;
    private final Object idle = new Object();
    /** Jobs queued or being sent. Guarded by {@link #idle} for waiting; counted atomically. */
    private final AtomicInteger outstanding = new AtomicInteger();
    private final LongAdder sent = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    /** One notification to one target; {@code attempt} starts at 1. */
    private record Job(String target, URI url, byte[] body, int attempt) {
    }

    Delivery(HttpClient http, Scheduler scheduler, Duration timeout, int maxAttempts, Duration backoff, int capacity) {
        this.http = http;
        this.scheduler = scheduler;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.backoffNanos = backoff.toNanos();
        AtomicInteger n = new AtomicInteger();
        sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity), r -> {
            Thread t = new Thread(r, "fusebox-notify-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    void post(String target, URI url, byte[] body) {
        submit(new Job(target, url, body, 1));
    }

    private void submit(Job job) {
        outstanding.incrementAndGet();
        try {
            sender.execute(() -> {
                try {
                    attempt(job);
                } finally {
                    done();
                }
            });
        } catch (RejectedExecutionException full) {
            done();
            dropped.increment();
            LOG.warn("[CIRCUIT_BREAKER] Notification to {} dropped: {}", job.target(),
                    sender.isShutdown() ? "the notifier is closed" : "the queue is full");
        }
    }

    private void attempt(Job job) {
        String problem;
        boolean retryable;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(job.url())
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "fusebox-notify")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(job.body()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                sent.increment();
                return;
            }
            problem = "HTTP " + status + (response.body().isBlank() ? "" : ": " + shorten(response.body()));
            retryable = status == 429 || status >= 500;
        } catch (IOException e) {
            problem = e.toString();
            retryable = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dropped.increment();
            return;
        }
        if (retryable && job.attempt() < maxAttempts) {
            retried.increment();
            long delay = backoffNanos << Math.min(job.attempt() - 1, 20);
            LOG.debug("[CIRCUIT_BREAKER] Notification to {} failed (attempt {}): {}; retrying in {} ms", job.target(),
                    job.attempt(), problem, delay / 1_000_000);
            Job next = new Job(job.target(), job.url(), job.body(), job.attempt() + 1);
            scheduler.schedule(() -> submit(next), delay);
            return;
        }
        failed.increment();
        LOG.error("[CIRCUIT_BREAKER] Notification to {} failed after {} attempt(s): {}", job.target(), job.attempt(),
                problem);
    }

    private void done() {
        if (outstanding.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    boolean awaitIdle(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (idle) {
            while (outstanding.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
        }
        return true;
    }

    NotifierStats stats() {
        return new NotifierStats(sent.sum(), retried.sum(), failed.sum(), dropped.sum());
    }

    /** Sends what is queued, for at most one request timeout per queued notification, then stops. */
    void close() {
        int queued = sender.getQueue().size() + 1;
        sender.shutdown();
        try {
            if (!sender.awaitTermination(timeout.toMillis() * queued, TimeUnit.MILLISECONDS)) {
                dropped.add(sender.shutdownNow().size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dropped.add(sender.shutdownNow().size());
        }
    }

    private static String shorten(String body) {
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }
}
