package dev.fusebox.internal;

import dev.fusebox.BreakerConfig;
import dev.fusebox.RecoveryPolicy;
import dev.fusebox.State;
import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.BreakerEvent.TripCause;
import dev.fusebox.spi.AuditAction;
import dev.fusebox.spi.AuditRecord;

/**
 * What a breaker does on its own: trip when a threshold is crossed, re-open when a trial call
 * fails, close when enough trial calls succeed. Each transition is won by exactly one thread
 * (compare-and-set); only the winner counts, logs, audits and publishes it.
 */
final class AutoTransitions {

    private AutoTransitions() {
    }

    /** Trips when the score, the failure rate or the slow-call rate crosses its threshold. */
    static void checkThresholds(BreakerCore core, ClosedState closed) {
        BreakerConfig config = core.config;
        BreakerStats stats = core.stats;
        long nowNanos = core.shared.clock().monotonicNanos();
        double score = stats.score(nowNanos);
        String why;
        if (score >= config.failureThreshold()) {
            why = BreakerLog.number(score) + " failures";
        } else if (stats.failureRateCrossed(nowNanos)) {
            why = "failure rate " + Math.round(stats.failureRate(nowNanos) * 100) + "%";
        } else if (stats.slowRateCrossed(nowNanos)) {
            why = "slow-call rate " + Math.round(stats.slowRate(nowNanos) * 100) + "%";
        } else {
            return;
        }
        if (core.current() == closed) {
            String lastError = stats.lastError;
            trip(core, closed, 0, TripCause.FAILURES, why + " within " + config.failureWindow().toSeconds()
                    + "s. Last error: " + lastError, score, lastError);
        }
    }

    /** A trial call failed: open again, one backoff level higher. */
    static void reopen(BreakerCore core, HalfOpenState half, Throwable error) {
        BreakerStats stats = core.stats;
        trip(core, half, half.level + 1, TripCause.TRIAL_FAILED, "trial call failed: " + BreakerStats.message(error),
                stats.score(core.shared.clock().monotonicNanos()), stats.lastError);
    }

    /** Enough trial calls succeeded: close. */
    static void recover(BreakerCore core, HalfOpenState half, long latencyNanos) {
        ClosedState closed = new ClosedState();
        if (!core.transition(half, closed)) {
            return;
        }
        core.stats.clearWindows();
        core.transitioned(half, closed);
        BreakerLog.recovered(core.key, latencyNanos < 0 ? -1 : latencyNanos / 1_000_000, true);
        core.shared.store().auditLater(new AuditRecord(0, core.key, AuditAction.RECOVERED,
                core.config.successThreshold() + " trial calls succeeded", AuditRecord.SYSTEM_USER, core.now()));
    }

    /** The open period for a backoff level: openWait * multiplier^level, at most maxOpenWait. */
    static long openWait(BreakerConfig config, int level) {
        double wait = config.openWait().toMillis() * Math.pow(config.backoffMultiplier(), level);
        return (long) Math.min(wait, config.maxOpenWait().toMillis());
    }

    private static void trip(BreakerCore core, BreakerState from, int level, TripCause cause, String reason,
                             double score, String lastError) {
        long nowMillis = core.shared.clock().wallMillis();
        boolean latched = core.config.recoveryPolicy() == RecoveryPolicy.MANUAL;
        // A re-open keeps the episode's first trip: the cooldown and the status refer to it.
        TripInfo trip = from.trip() != null ? from.trip()
                : new TripInfo(nowMillis, AuditRecord.SYSTEM_USER, reason, cause, latched, false);
        long wait = latched ? -1 : openWait(core.config, level);
        OpenState open = new OpenState(core, trip, latched ? OpenState.NEVER : nowMillis + wait, level);
        if (!core.transition(from, open)) {
            return;
        }
        if (from.state == State.CLOSED) {
            core.stats.tripCount.incrementAndGet();
        }
        core.transitioned(from, open);
        if (from.state == State.CLOSED) {
            BreakerLog.tripped(core.key, score, lastError, wait);
        } else {
            BreakerLog.trialFailed(core.key, lastError, wait);
        }
        core.shared.store().auditLater(new AuditRecord(0, core.key, AuditAction.AUTO_TRIP, reason,
                AuditRecord.SYSTEM_USER, nowMillis));
        if (core.shared.listeners().any()) {
            core.publish(new BreakerEvent.Tripped(core.key, nowMillis, cause, trip.by(), reason, score,
                    core.stats.tripCount.get()));
        }
    }
}
