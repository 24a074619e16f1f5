package dev.fusebox.internal;

import dev.fusebox.BreakerStatus;
import dev.fusebox.ResetDeniedException;
import dev.fusebox.State;
import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.BreakerEvent.TripCause;
import dev.fusebox.spi.AuditAction;
import dev.fusebox.spi.AuditRecord;

/**
 * Operator actions on one breaker: trip and reset. Each writes its audit record and snapshot to
 * the store before returning (when the store is reachable), then logs and publishes.
 */
public final class BreakerControl {

    private BreakerControl() {
    }

    /** Trips the breaker; it stays open until an operator resets it, whatever the recovery policy. */
    public static BreakerStatus trip(BreakerCore core, String reason, String user) {
        long now = core.now();
        BreakerState from;
        OpenState open;
        while (true) {
            from = core.current();
            open = new OpenState(core, new TripInfo(now, user, reason, TripCause.OPERATOR, true, true), OpenState.NEVER, 0);
            if (core.transition(from, open)) {
                break;
            }
        }
        if (from.state == State.CLOSED) {
            core.stats.tripCount.incrementAndGet();
        }
        core.transitioned(from, open);
        core.shared.store().auditNow(new AuditRecord(0, core.key, AuditAction.TRIP, reason, user, now));
        core.shared.store().saveNow(core);
        BreakerLog.trippedByOperator(core.key, user, reason);
        if (core.shared.listeners().any()) {
            core.publish(new BreakerEvent.Tripped(core.key, now, TripCause.OPERATOR, user, reason,
                    core.stats.score(core.shared.clock().monotonicNanos()), core.stats.tripCount.get()));
        }
        return BreakerSnapshots.status(core);
    }

    /**
     * Closes the breaker and clears its failure score.
     *
     * @throws ResetDeniedException when the breaker is tripped, tripped less than the cooldown
     *     ago, and {@code force} is false; the denial is audited
     */
    public static BreakerStatus reset(BreakerCore core, String reason, String user, boolean force) {
        long now = core.now();
        long cooldown = core.config.resetCooldown().toMillis();
        BreakerState from;
        ClosedState closed;
        boolean forced;
        while (true) {
            from = core.current();
            TripInfo trip = from.trip();
            long remaining = trip == null ? 0 : trip.atMillis() + cooldown - now;
            forced = remaining > 0;
            if (forced && !force) {
                deny(core, reason, user, now, remaining, cooldown);
            }
            closed = new ClosedState();
            if (core.transition(from, closed)) {
                break;
            }
        }
        core.stats.clearWindows();
        core.stats.resets.increment();
        core.stats.lastReset = new BreakerStats.ResetInfo(now, user, reason);
        core.transitioned(from, closed);
        core.shared.store().auditNow(new AuditRecord(0, core.key, forced ? AuditAction.FORCED_RESET : AuditAction.RESET,
                reason, user, now));
        core.shared.store().saveNow(core);
        BreakerLog.reset(core.key, user, reason, forced);
        if (core.shared.listeners().any()) {
            core.publish(new BreakerEvent.Reset(core.key, now, user, reason, forced));
        }
        return BreakerSnapshots.status(core);
    }

    private static void deny(BreakerCore core, String reason, String user, long now, long remaining, long cooldown) {
        core.shared.store().auditNow(new AuditRecord(0, core.key, AuditAction.RESET_DENIED,
                reason + " (cooldown: " + remaining + "ms remaining)", user, now));
        BreakerLog.resetDenied(core.key, user, remaining);
        if (core.shared.listeners().any()) {
            core.publish(new BreakerEvent.ResetDenied(core.key, now, user, reason, remaining));
        }
        throw new ResetDeniedException(core.key, remaining, cooldown);
    }
}
