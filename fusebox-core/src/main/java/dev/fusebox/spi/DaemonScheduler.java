package dev.fusebox.spi;

import dev.fusebox.internal.NamedThreadFactory;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The default {@link Scheduler}: one daemon thread on the system clock. Cancelled tasks are
 * removed at once; {@link #close()} drops the tasks not run yet. Thread-safe.
 */
public final class DaemonScheduler implements Scheduler, AutoCloseable {

    private final ScheduledThreadPoolExecutor executor;

    /** @param name the thread's name prefix, e.g. {@code "fusebox-timer"} */
    public DaemonScheduler(String name) {
        executor = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory(name));
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        ScheduledFuture<?> future = executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    /** Stops the thread; tasks not run yet never run. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
