package dev.fusebox.spi;

/**
 * Runs tasks after a delay measured on the registry's clock: call timeouts, load sampling and
 * the periodic log and write-behind work. The default uses one daemon thread; tests pass a
 * scheduler driven by a manual clock so that time moves only when the test says so.
 *
 * <p>Implementations must be thread-safe; tasks must not block.
 */
public interface Scheduler {

    /**
     * Runs {@code task} once after {@code delayNanos}.
     *
     * @return a handle whose {@link Cancellable#cancel()} stops the task if it has not started
     */
    Cancellable schedule(Runnable task, long delayNanos);

    /** A scheduled task that can be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels the task if it has not run yet; does nothing otherwise. */
        void cancel();
    }
}
