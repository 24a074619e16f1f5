package dev.fusebox.internal;

import java.util.concurrent.atomic.AtomicInteger;

/** The trial calls of one breaker in flight, across half-open periods, at most {@code limit}. Thread-safe. */
final class TrialSlots {

    private final int limit;
    private final AtomicInteger inFlight = new AtomicInteger();

    TrialSlots(int limit) {
        this.limit = limit;
    }

    boolean tryAcquire() {
        while (true) {
            int n = inFlight.get();
            if (n >= limit) {
                return false;
            }
            if (inFlight.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void release() {
        inFlight.decrementAndGet();
    }

    int inFlight() {
        return inFlight.get();
    }
}
