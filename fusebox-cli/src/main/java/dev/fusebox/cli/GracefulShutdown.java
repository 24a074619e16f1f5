package dev.fusebox.cli;

import java.util.concurrent.CountDownLatch;

/**
 * Ends a long-running command cleanly on Ctrl-C or SIGTERM: the JVM's shutdown hook asks the
 * command to stop, then waits until {@link #close()} says it has closed what it opened (the
 * store flushed, the server stopped). Open it before those resources so that it closes after them.
 */
final class GracefulShutdown implements AutoCloseable {

    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    GracefulShutdown(String name, Runnable askToStop) {
        hook = new Thread(() -> {
            askToStop.run();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and was waiting for us
        }
    }
}
