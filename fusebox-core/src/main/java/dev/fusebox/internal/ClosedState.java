package dev.fusebox.internal;

import dev.fusebox.State;

/** Calls pass; their outcomes are counted, and a crossed threshold trips the breaker. */
final class ClosedState extends BreakerState {

    ClosedState(Stamp since) {
        super(State.CLOSED, since);
    }

    @Override
    void succeeded(BreakerCore core, long latencyNanos) {
        BreakerStats stats = core.stats;
        if (stats.hasFailures && core.config.successResetsFailures() && core.current() == this) {
            stats.clearScore();
            core.markDirty();
            BreakerLog.recovered(core.key, latencyNanos < 0 ? -1 : latencyNanos / 1_000_000, false);
        }
        if (stats.tracksRates()) {
            // A success can carry a rate over its threshold too: it raises the call count past
            // minimumCalls, or it was slow.
            checkThresholds(core);
        }
    }

    @Override
    void failed(BreakerCore core, Throwable error) {
        checkThresholds(core);
    }

    /** Trips when the score, the failure rate or the slow-call rate is over its threshold. */
    private void checkThresholds(BreakerCore core) {
        String why = core.stats.thresholdCrossed(core.clock().monotonicNanos());
        if (why != null && core.current() == this) {
            String lastError = core.stats.lastError;
            Transitions.tripOnFailures(core, this, why + " within " + core.config.failureWindow().toSeconds()
                    + "s. Last error: " + lastError);
        }
    }
}
