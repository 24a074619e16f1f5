package dev.fusebox.testing;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waits for something another thread or process does, with a generous bound. For tests. */
public final class Eventually {

    private Eventually() {
    }

    /** Polls {@code condition} until it holds, for at most 30 s; fails with {@code what} otherwise. */
    public static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            TimeUnit.MILLISECONDS.sleep(20); // polling pace, not a wait for the condition itself
        }
    }
}
