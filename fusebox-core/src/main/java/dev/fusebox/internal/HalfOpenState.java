package dev.fusebox.internal;

import dev.fusebox.CallContext;
import dev.fusebox.CircuitOpenException;
import dev.fusebox.State;
import dev.fusebox.event.Cause;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Trial calls: {@code successThreshold} successes close the breaker, the first failure opens it
 * again one backoff level higher.
 *
 * <p>At most {@code trialCalls} trial calls are in flight at any time, across half-open periods:
 * the slots are the breaker's ({@link BreakerCore#trials}), not this state's. When the trials of
 * a period do not end within the trial timeout (the call timeout, or else the open wait), the
 * breaker opens again ({@link Cause#TRIAL_TIMED_OUT}); a trial still running keeps its slot. Only
 * trials that outlive three such periods in a row give their slots up (logged), so that one hung
 * call can neither let more calls through at once nor keep the breaker from ever trying again.
 */
final class HalfOpenState extends BreakerState {

    final TripInfo trip;
    final int level;
    /** The cause of the open state this probing follows: what a store keeps while it lasts. */
    Cause openCause;
    private final AtomicInteger successes = new AtomicInteger();
    /** One-shot: exactly one trial outcome ends this state. */
    private final AtomicBoolean decided = new AtomicBoolean();
    /** Thrown at every call that finds all trial slots in use. */
    final CircuitOpenException noSlotLeft;
    /** The epoch of the trial slots this period's trials take and give back. */
    private final int slotEpoch;

    HalfOpenState(BreakerCore core, TripInfo trip, int level, Stamp since) {
        super(State.HALF_OPEN, since);
        this.trip = trip;
        this.level = level;
        this.noSlotLeft = new CircuitOpenException(core.key, State.HALF_OPEN, 0, null);
        this.slotEpoch = core.trials.epoch();
    }

    @Override
    TripInfo trip() {
        return trip;
    }

    @Override
    Object admit(BreakerCore core, CallContext ctx) {
        if (core.trials.tryAcquire(slotEpoch)) {
            return this;
        }
        long running = core.clock().monotonicNanos() - since.nanos();
        long timeout = core.trialTimeoutNanos(level);
        if (running < timeout) {
            return Refusals.reject(core, this, ctx, 0, noSlotLeft);
        }
        if (decided.compareAndSet(false, true)) {
            int givenUp = core.trials.periodTimedOut();
            if (givenUp > 0) {
                BreakerLog.trialsGivenUp(core.key, givenUp, TrialSlots.STALLED_PERIODS);
            }
            Transitions.reopen(core, this, Cause.TRIAL_TIMED_OUT,
                    "trial calls did not finish within " + timeout / 1_000_000 + "ms");
        }
        return AGAIN;
    }

    @Override
    void succeeded(BreakerCore core, long latencyNanos) {
        core.trials.release(slotEpoch);
        if (successes.incrementAndGet() >= core.config.successThreshold() && decided.compareAndSet(false, true)) {
            Transitions.recover(core, this, latencyNanos);
        }
    }

    @Override
    void failed(BreakerCore core, Throwable error) {
        core.trials.release(slotEpoch);
        if (decided.compareAndSet(false, true)) {
            Transitions.reopen(core, this, Cause.TRIAL_FAILED, "trial call failed: " + BreakerStats.message(error));
        }
    }

    @Override
    void released(BreakerCore core) {
        core.trials.release(slotEpoch);
    }
}
