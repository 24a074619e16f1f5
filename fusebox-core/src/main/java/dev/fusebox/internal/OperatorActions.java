package dev.fusebox.internal;

import dev.fusebox.ActionResult;
import dev.fusebox.ResetDeniedException;
import dev.fusebox.event.Cause;
import dev.fusebox.spi.AuditAction;
import dev.fusebox.spi.AuditRecord;

/**
 * An operator's trip and reset of one breaker. Each is stored, state and audit record in one
 * transaction, before it takes effect (see {@link StoreSync#operatorAction}); a denied reset
 * stores its audit record before it is refused. Both answer null, having done nothing, when the
 * breaker has left its registry: the caller then acts on the registry's breaker for the key.
 */
public final class OperatorActions {

    private OperatorActions() {
    }

    /** Trips the breaker; it stays open until an operator resets it, whatever the recovery policy. */
    public static ActionResult trip(BreakerCore core, String reason, String user) {
        return core.shared.store().operatorAction(core, current -> {
            Stamp now = core.now();
            TripInfo trip = new TripInfo(now, user, reason, Cause.OPERATOR_TRIP, true);
            return new StoreSync.Decision(new OpenState(core, trip, 0, now, null),
                    new Transitions.Step(Cause.OPERATOR_TRIP, user, reason, Transitions.Origin.OPERATOR),
                    AuditRecord.of(core.key, AuditAction.TRIP, user, reason, now.millis()), null);
        });
    }

    /**
     * Closes the breaker and clears its failure score.
     *
     * @throws ResetDeniedException when the breaker tripped less than the cooldown ago and
     *     {@code force} is false; the denial is audited. The cooldown is measured on the
     *     monotonic clock from the trip.
     */
    public static ActionResult reset(BreakerCore core, String reason, String user, boolean force) {
        long cooldownMillis = core.config.resetCooldown().toMillis();
        return core.shared.store().operatorAction(core, current -> {
            Stamp now = core.now();
            TripInfo trip = current.trip();
            long remainingNanos = trip == null || trip.cause() == Cause.STATE_UNKNOWN ? 0
                    : trip.at().nanos() + cooldownMillis * 1_000_000 - now.nanos();
            boolean inCooldown = remainingNanos > 0;
            if (inCooldown && !force) {
                long remaining = (remainingNanos + 999_999) / 1_000_000;
                return new StoreSync.Decision(null,
                        new Transitions.Step(Cause.OPERATOR_RESET, user, reason, Transitions.Origin.OPERATOR),
                        AuditRecord.of(core.key, AuditAction.RESET_DENIED, user,
                                reason + " (cooldown: " + remaining + "ms remaining)", now.millis()),
                        new ResetDeniedException(core.key, remaining, cooldownMillis));
            }
            Cause cause = inCooldown ? Cause.FORCED_RESET : Cause.OPERATOR_RESET;
            return new StoreSync.Decision(new ClosedState(now),
                    new Transitions.Step(cause, user, reason, Transitions.Origin.OPERATOR),
                    AuditRecord.of(core.key, inCooldown ? AuditAction.FORCED_RESET : AuditAction.RESET, user, reason,
                            now.millis()), null);
        });
    }
}
