package dev.fusebox.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The trial calls of one breaker in flight, across half-open periods, at most {@code limit}.
 *
 * <p>A trial that never ends would keep its slot for ever, and the breaker would never try again.
 * So when {@value #STALLED_PERIODS} half-open periods in a row end by timing out while trials
 * still hold slots, those slots are given up: the slots belong to an epoch, the epoch moves on,
 * and the late trials' releases (of the old epoch) no longer count. Thread-safe.
 */
final class TrialSlots {

    /** Half-open periods in a row that may time out with trials still running before their slots are given up. */
    static final int STALLED_PERIODS = 3;
    private static final long COUNT_MASK = (1L << 32) - 1;

    private final int limit;
    /** The epoch in the high 32 bits, the slots in use in the low ones. */
    private final AtomicLong state = new AtomicLong();
    private final AtomicInteger stalled = new AtomicInteger();

    TrialSlots(int limit) {
        this.limit = limit;
    }

    /** The current epoch: a half-open period's trials acquire and release in it. */
    int epoch() {
        return (int) (state.get() >>> 32);
    }

    /** Takes a slot of {@code epoch}; false when all are in use or the epoch has moved on. */
    boolean tryAcquire(int epoch) {
        while (true) {
            long s = state.get();
            if ((int) (s >>> 32) != epoch || (s & COUNT_MASK) >= limit) {
                return false;
            }
            if (state.compareAndSet(s, s + 1)) {
                return true;
            }
        }
    }

    /** Gives back a slot of {@code epoch}; one of an epoch given up is ignored. */
    void release(int epoch) {
        stalled.set(0);
        while (true) {
            long s = state.get();
            if ((int) (s >>> 32) != epoch || (s & COUNT_MASK) == 0) {
                return;
            }
            if (state.compareAndSet(s, s - 1)) {
                return;
            }
        }
    }

    /**
     * A half-open period timed out. Returns the number of slots given up: non-zero when the
     * trials holding them have now outlived {@value #STALLED_PERIODS} periods.
     */
    int periodTimedOut() {
        if ((state.get() & COUNT_MASK) == 0 || stalled.incrementAndGet() < STALLED_PERIODS) {
            return 0;
        }
        stalled.set(0);
        long s = state.getAndUpdate(old -> ((old >>> 32) + 1) << 32);
        return (int) (s & COUNT_MASK);
    }

    int inFlight() {
        return (int) (state.get() & COUNT_MASK);
    }
}
