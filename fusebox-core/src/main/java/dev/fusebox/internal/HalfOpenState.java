package dev.fusebox.internal;

import dev.fusebox.CircuitOpenException;
import dev.fusebox.State;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Trial calls: at most {@code trialCalls} in flight at once; {@code successThreshold} successes
 * close the breaker, the first failure opens it again one backoff level higher.
 */
final class HalfOpenState extends BreakerState {

    final TripInfo trip;
    final int level;
    private final AtomicInteger permits;
    private final AtomicInteger successes = new AtomicInteger();
    /** One-shot: exactly one trial outcome ends this state. */
    private final AtomicBoolean decided = new AtomicBoolean();

    /** Thrown at every call that finds all trial permits in use. */
    final CircuitOpenException noPermitLeft;

    HalfOpenState(String key, TripInfo trip, int level, int trialCalls) {
        super(State.HALF_OPEN);
        this.noPermitLeft = new CircuitOpenException(key, State.HALF_OPEN, 0, null);
        this.trip = trip;
        this.level = level;
        this.permits = new AtomicInteger(trialCalls);
    }

    boolean tryAcquire() {
        while (true) {
            int available = permits.get();
            if (available <= 0) {
                return false;
            }
            if (permits.compareAndSet(available, available - 1)) {
                return true;
            }
        }
    }

    void release() {
        permits.incrementAndGet();
    }

    /** Records a successful trial; true when this success reaches the threshold. */
    boolean succeeded(int successThreshold) {
        release();
        return successes.incrementAndGet() >= successThreshold && decided.compareAndSet(false, true);
    }

    /** Records a failed trial; true for the first failure only. */
    boolean failed() {
        release();
        return decided.compareAndSet(false, true);
    }

    @Override
    TripInfo trip() {
        return trip;
    }
}
