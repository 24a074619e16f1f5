package dev.fusebox.internal;

import dev.fusebox.RecoveryPolicy;
import dev.fusebox.State;
import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.BreakerEvent.TripCause;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;

/**
 * Applies a state change that another registry wrote to a shared store: a trip, a reset or a
 * recovery made on another instance, by the console or by the admin API of another process.
 *
 * <p>The newest state change wins, by {@link BreakerSnapshot#stateChangedAt()} against the time
 * the local breaker entered its state (so the instances' wall clocks should be synchronised;
 * the comparison has millisecond resolution). A change that is not newer is ignored. Counting
 * stays local: remote failure scores never change local ones. An adopted change is not written
 * back (it came from the store) and not audited again (the instance that made it did).
 */
public final class RemoteChanges {

    private RemoteChanges() {
    }

    /**
     * @param shareAutomaticTrips whether a trip another instance made on its own (failures) opens
     *     this breaker too; operator trips are always shared
     * @return whether the local breaker changed
     */
    public static boolean apply(BreakerCore core, BreakerSnapshot remote, boolean shareAutomaticTrips) {
        while (true) {
            BreakerState local = core.current();
            if (remote.stateChangedAt() <= local.since) {
                return false;
            }
            BreakerState next = remote.state() == State.CLOSED
                    ? closedFrom(local)
                    : openFrom(core, local, remote, shareAutomaticTrips);
            if (next == null) {
                return false;
            }
            next.since = remote.stateChangedAt();
            if (core.transition(local, next, remote.stateChangedAt())) {
                adopted(core, local, next, remote);
                return true;
            }
        }
    }

    private static BreakerState closedFrom(BreakerState local) {
        return local.state == State.CLOSED ? null : new ClosedState();
    }

    private static BreakerState openFrom(BreakerCore core, BreakerState local, BreakerSnapshot remote,
                                         boolean shareAutomaticTrips) {
        if (!remote.manualTrip() && !shareAutomaticTrips) {
            return null;
        }
        TripInfo current = local.trip();
        if (current != null && current.atMillis() == remote.trippedAt() && current.byOperator() == remote.manualTrip()) {
            return null; // the same trip, already known here
        }
        boolean latched = remote.manualTrip() || core.config.recoveryPolicy() == RecoveryPolicy.MANUAL;
        String by = remote.trippedBy() == null ? AuditRecord.SYSTEM_USER : remote.trippedBy();
        String reason = remote.tripReason() == null ? "tripped on another instance" : remote.tripReason();
        long at = remote.trippedAt() > 0 ? remote.trippedAt() : remote.stateChangedAt();
        TripInfo trip = new TripInfo(at, by, reason, TripCause.REMOTE, latched, remote.manualTrip());
        int level = Math.max(0, remote.openLevel());
        long next = latched ? OpenState.NEVER
                : remote.nextAttemptAt() > 0 ? remote.nextAttemptAt()
                : remote.stateChangedAt() + AutoTransitions.openWait(core.config, level);
        return new OpenState(core, trip, next, level);
    }

    private static void adopted(BreakerCore core, BreakerState from, BreakerState to, BreakerSnapshot remote) {
        BreakerStats stats = core.stats;
        stats.tripCount.accumulateAndGet(remote.tripCount(), Math::max);
        if (to.state == State.CLOSED) {
            stats.clearWindows();
            if (remote.lastResetAt() > 0) {
                stats.lastReset = new BreakerStats.ResetInfo(remote.lastResetAt(), remote.lastResetBy(),
                        remote.lastResetReason());
            }
            BreakerLog.remoteReset(core.key, remote.lastResetBy(), remote.lastResetReason());
        } else {
            TripInfo trip = to.trip();
            BreakerLog.remoteTrip(core.key, trip.by(), trip.reason());
        }
        if (core.shared.listeners().any()) {
            long now = core.now();
            core.publish(new BreakerEvent.StateChanged(core.key, now, from.state, to.state, to.version));
            if (to.state != State.CLOSED) {
                TripInfo trip = to.trip();
                core.publish(new BreakerEvent.Tripped(core.key, now, TripCause.REMOTE, trip.by(), trip.reason(),
                        remote.failureScore(), stats.tripCount.get()));
            }
        }
    }
}
