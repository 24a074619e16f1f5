package dev.fusebox.notify;

import dev.fusebox.spi.Scheduler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts to one target (Slack, or PagerDuty) from a background thread of its own, in order,
 * through a bounded queue, so that a slow target never delays the other. Failed attempts
 * (network errors, 429, 5xx) are retried after an exponential backoff measured on the
 * scheduler. A job computes its body when it is sent, so a retry can send what is wanted by
 * then. URLs are never logged: webhook URLs carry their secret. Thread-safe.
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
    private final DeliverySettings settings;
    private final Scheduler scheduler;
    private final DeliveryTally tally;
    private final ThreadPoolExecutor sender;
    private volatile boolean closed;

    /**
     * @param target the target's name, for the sender thread and the log ({@code slack}, {@code pagerduty})
     * @param scheduler what waits out the retry backoff
     * @param tally the counters this delivery adds to, shared with the notifier's other deliveries
     */
    Delivery(String target, URI url, DeliverySettings settings, Scheduler scheduler, DeliveryTally tally) {
        this.target = target;
        this.url = url;
        this.settings = settings;
        this.scheduler = scheduler;
        this.tally = tally;
        sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(settings.queueCapacity()), r -> {
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
        tally.started();
        try {
            sender.execute(() -> {
                try {
                    attempt(job, attempt);
                } finally {
                    tally.finished();
                }
            });
        } catch (RejectedExecutionException full) {
            tally.finished();
            job.dropped();
            tally.dropped.increment();
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
            HttpResponse<String> response = settings.http().send(HttpRequest.newBuilder(url)
                    .timeout(settings.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "fusebox-notify")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                tally.sent.increment();
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
            tally.dropped.increment();
            return;
        } catch (RuntimeException e) {
            problem = e.toString(); // a broken HTTP client: not worth retrying
            retryable = false;
        }
        if (retryable && !closed && (attempt < settings.maxAttempts() || job.persistent())) {
            long delay = Math.min(settings.retryBackoff().toNanos() << Math.min(attempt - 1, 30), MAX_BACKOFF_NANOS);
            LOG.debug("[CIRCUIT_BREAKER] Notification to {} failed (attempt {}): {}; retrying in {} ms", target, attempt,
                    problem, delay / 1_000_000);
            try {
                scheduler.schedule(() -> {
                    if (job.retryStillWanted()) {
                        submit(job, attempt + 1);
                    }
                }, delay);
                tally.retried.increment();
                return;
            } catch (RuntimeException schedulerClosed) {
                problem += "; and no retry could be scheduled: " + schedulerClosed;
            }
        }
        tally.failed.increment();
        LOG.error("[CIRCUIT_BREAKER] Notification to {} failed after {} attempt(s): {}", target, attempt, problem);
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
                tally.dropped.add(sender.shutdownNow().size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tally.dropped.add(sender.shutdownNow().size());
        }
    }

    private static String shorten(String body) {
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }
}
