package dev.fusebox.notify;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the deliveries of one notifier have done (sent, retried, failed, dropped) and how many
 * notifications they hold now, queued or being sent, so that {@link #awaitIdle} can wait for
 * them. Shared by the Slack and the PagerDuty delivery. Thread-safe.
 */
final class DeliveryTally {

    final LongAdder sent = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder dropped = new LongAdder();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final Object idle = new Object();

    /** A notification was handed to a sender. */
    void started() {
        outstanding.incrementAndGet();
    }

    /** A notification handed to a sender was sent, given up on, rescheduled or refused. */
    void finished() {
        if (outstanding.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /**
     * Waits until no notification is queued or being sent. Retries and pages that wait for their
     * time do not count. Waits in real time: it is what a caller does while sender threads work.
     *
     * @return false if {@code timeout} passed first
     */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
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

    NotifierStats snapshot() {
        return new NotifierStats(sent.sum(), retried.sum(), failed.sum(), dropped.sum());
    }
}
