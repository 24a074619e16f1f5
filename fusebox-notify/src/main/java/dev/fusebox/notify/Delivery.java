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
 * Posts to one target (Slack, or PagerDuty) from a background thread of its own, in order,
 * through a bounded queue, so that a slow target never delays the other. Failed attempts
 * (network errors, 429, 5xx) are retried after an exponential backoff measured on the
 * scheduler. A job computes its body when it is sent, so a retry can send what is wanted by
 * then. URLs are never logged: webhook URLs carry their secret.
 */
final class Delivery {

    /** Longest wait between two attempts. */
    static final long MAX_BACKOFF_NANOS = Duration.ofMinutes(15).toNanos();

    private static final Logger LOG = LoggerFactory.getLogger("dev.fusebox.notify");

    /** What to send. Called on the sender thread. */
    interface Job {
        /** The body to post now, or null when there is nothing left to send. */
        byte[] body();

        /** The body was delivered. */
        default void delivered(byte[] body) {
        }

        /** Whether to keep retrying past the attempt limit (a PagerDuty resolve). */
        default boolean persistent() {
            return false;
        }

        /** Whether a scheduled retry should still run: false when a newer job took over. */
        default boolean retryStillWanted() {
            return true;
        }

        /** The job was not queued (the queue is full or closed). */
        default void dropped() {
        }
    }

    private final String target;
    private final URI url;
    private final HttpClient http;
    private final Scheduler scheduler;
    private final Duration timeout;
    private final int maxAttempts;
    private final long backoffNanos;
    private final ThreadPoolExecutor sender;
    private final NotifierCounters counters;
    private final Object idle;
    private final AtomicInteger outstanding;
    private volatile boolean closed;

    Delivery(String target, URI url, HttpClient http, Scheduler scheduler, Duration timeout, int maxAttempts,
             Duration backoff, int capacity, NotifierCounters counters, Object idle, AtomicInteger outstanding) {
        this.target = target;
        this.url = url;
        this.http = http;
        this.scheduler = scheduler;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.backoffNanos = backoff.toNanos();
        this.counters = counters;
        this.idle = idle;
        this.outstanding = outstanding;
        sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity), r -> {
            Thread t = new Thread(r, "fusebox-notify-" + target);
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** Queues a job; a full queue drops it (counted and logged). */
    void post(Job job) {
        submit(job, 1);
    }

    /** Queues a job with a fixed body. */
    void post(byte[] body) {
        submit(() -> body, 1);
    }

    private void submit(Job job, int attempt) {
        outstanding.incrementAndGet();
        try {
            sender.execute(() -> {
                try {
                    attempt(job, attempt);
                } finally {
                    done();
                }
            });
        } catch (RejectedExecutionException full) {
            done();
            job.dropped();
            counters.dropped.increment();
            LOG.warn("[CIRCUIT_BREAKER] Notification to {} dropped: {}", target,
                    sender.isShutdown() ? "the notifier is closed" : "the queue is full");
        }
    }

    private void attempt(Job job, int attempt) {
        byte[] body = job.body();
        if (body == null) {
            return; // superseded: nothing to send any more
        }
        String problem;
        boolean retryable;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "fusebox-notify")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                counters.sent.increment();
                job.delivered(body);
                return;
            }
            problem = "HTTP " + status + (response.body().isBlank() ? "" : ": " + shorten(response.body()));
            retryable = status == 429 || status >= 500;
        } catch (IOException e) {
            problem = e.toString();
            retryable = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            counters.dropped.increment();
            return;
        } catch (RuntimeException e) {
            problem = e.toString(); // a broken HTTP client: not worth retrying
            retryable = false;
        }
        if (retryable && !closed && (attempt < maxAttempts || job.persistent())) {
            long delay = Math.min(backoffNanos << Math.min(attempt - 1, 30), MAX_BACKOFF_NANOS);
            LOG.debug("[CIRCUIT_BREAKER] Notification to {} failed (attempt {}): {}; retrying in {} ms", target, attempt,
                    problem, delay / 1_000_000);
            try {
                scheduler.schedule(() -> {
                    if (job.retryStillWanted()) {
                        submit(job, attempt + 1);
                    }
                }, delay);
                counters.retried.increment();
                return;
            } catch (RuntimeException schedulerClosed) {
                problem += "; and no retry could be scheduled: " + schedulerClosed;
            }
        }
        counters.failed.increment();
        LOG.error("[CIRCUIT_BREAKER] Notification to {} failed after {} attempt(s): {}", target, attempt, problem);
    }

    private void done() {
        if (outstanding.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** Stops taking jobs; returns at once. */
    void shutdown() {
        closed = true;
        sender.shutdown();
    }

    /** Waits until {@code deadlineNanos} (System.nanoTime) for queued jobs, then drops what is left. */
    void awaitTermination(long deadlineNanos) {
        try {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || !sender.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                counters.dropped.add(sender.shutdownNow().size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            counters.dropped.add(sender.shutdownNow().size());
        }
    }

    private static String shorten(String body) {
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }

    /** The counters shared by the deliveries of one notifier. */
    static final class NotifierCounters {
        final LongAdder sent = new LongAdder();
        final LongAdder retried = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder dropped = new LongAdder();

        NotifierStats snapshot() {
            return new NotifierStats(sent.sum(), retried.sum(), failed.sum(), dropped.sum());
        }
    }
}
