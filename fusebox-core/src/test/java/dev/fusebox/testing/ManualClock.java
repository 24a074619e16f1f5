package dev.fusebox.testing;

import dev.fusebox.Clock;
import dev.fusebox.spi.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A clock that moves only when a test calls {@link #advance}, and a scheduler whose tasks run,
 * on the advancing thread, when time passes their due time. Thread-safe.
 */
public final class ManualClock implements Clock, Scheduler {

    /** 2026-01-01T00:00:00Z, so that wall times in assertions are readable. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long wallMillis = START.toEpochMilli();
    private long nanos = 1_000_000_000L;
    private long sequence;

    @Override
    public synchronized long wallMillis() {
        return wallMillis;
    }

    @Override
    public synchronized long monotonicNanos() {
        return nanos;
    }

    /** Moves time forward and runs every task that falls due, in due order. */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time only moves forward, but was asked to move " + by);
        }
        long target;
        synchronized (this) {
            target = nanos + by.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due > target) {
                    moveTo(target);
                    return;
                }
                tasks.poll();
                moveTo(next.due);
            }
            next.task.run();
        }
    }

    /**
     * Steps the wall clock alone, as NTP or an operator setting the date would; the monotonic
     * clock and the scheduled tasks do not move. Negative steps go back in time.
     */
    public synchronized void stepWall(Duration by) {
        wallMillis += by.toMillis();
    }

    public void advanceMillis(long millis) {
        advance(Duration.ofMillis(millis));
    }

    /** Tasks waiting to run. */
    public synchronized int pendingTasks() {
        return tasks.size();
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, long delayNanos) {
        Task t = new Task(nanos + Math.max(0, delayNanos), sequence++, task);
        tasks.add(t);
        return () -> {
            synchronized (ManualClock.this) {
                tasks.remove(t);
            }
        };
    }

    /** Wall time as an instant. */
    public synchronized Instant instant() {
        return Instant.ofEpochMilli(wallMillis);
    }

    private void moveTo(long targetNanos) {
        long delta = targetNanos - nanos;
        if (delta > 0) {
            nanos = targetNanos;
            wallMillis += delta / 1_000_000;
        }
    }

    /** For tests that want to see what is scheduled. */
    public synchronized List<Long> dueTimes() {
        List<Long> out = new ArrayList<>();
        tasks.forEach(t -> out.add(t.due));
        return out;
    }

    private record Task(long due, long seq, Runnable task) implements Comparable<Task> {
        @Override
        public int compareTo(Task o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
        }
    }
}
