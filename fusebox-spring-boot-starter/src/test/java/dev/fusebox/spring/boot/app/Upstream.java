package dev.fusebox.spring.boot.app;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** A bookmaker API that a test can make fail; counts the calls that reached it. Thread-safe. */
public class Upstream {

    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean failing;

    public void failing(boolean value) {
        failing = value;
    }

    /** Healthy, no calls counted. */
    public void reset() {
        failing = false;
        calls.set(0);
    }

    public int calls() {
        return calls.get();
    }

    public String markets(String what) throws IOException {
        calls.incrementAndGet();
        if (failing) {
            throw new IOException("500 Internal Server Error");
        }
        return "live " + what;
    }

    public CompletableFuture<String> marketsAsync(String what) {
        calls.incrementAndGet();
        return failing ? CompletableFuture.failedFuture(new IOException("503 Service Unavailable"))
                : CompletableFuture.completedFuture("live " + what);
    }
}
