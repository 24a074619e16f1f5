package dev.fusebox.internal;

import dev.fusebox.BreakerStatus;
import dev.fusebox.RecoveryPolicy;
import dev.fusebox.State;
import dev.fusebox.event.BreakerEvent.TripCause;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import java.time.Instant;

/** Converts a breaker to and from its stored snapshot and its public status. */
public final class BreakerSnapshots {

    private BreakerSnapshots() {
    }

    static BreakerSnapshot of(BreakerCore core, BreakerState s) {
        BreakerStats st = core.stats;
        TripInfo trip = s.trip();
        BreakerStats.ResetInfo reset = st.lastReset;
        Double latency = st.latency.averageMs();
        long nextAttempt = s instanceof OpenState open && !open.latched() ? open.nextAttemptAt : 0;
        int level = s instanceof OpenState open ? open.level : s instanceof HalfOpenState half ? half.level : 0;
        return new BreakerSnapshot(core.key, s.state, st.score(core.shared.clock().monotonicNanos()), st.lastError,
                st.lastFailureAt, st.tripCount.get(),
                trip == null ? 0 : trip.atMillis(), trip == null ? null : trip.by(), trip == null ? null : trip.reason(),
                trip != null && trip.byOperator(), nextAttempt, level,
                reset == null ? 0 : reset.atMillis(), reset == null ? null : reset.by(),
                reset == null ? null : reset.reason(),
                latency == null ? -1 : latency, core.now(), s.since);
    }

    /** The public status of a breaker. */
    public static BreakerStatus status(BreakerCore core) {
        BreakerState s = core.current();
        BreakerStats st = core.stats;
        long nowNanos = core.shared.clock().monotonicNanos();
        TripInfo trip = s.trip();
        BreakerStats.ResetInfo reset = st.lastReset;
        Instant nextAttempt = s instanceof OpenState open && !open.latched() ? Instant.ofEpochMilli(open.nextAttemptAt)
                : null;
        return new BreakerStatus(core.key, s.state, s.state.isTripped(), st.score(nowNanos),
                core.config.failureThreshold(), st.failureRate(nowNanos), st.lastError, st.latency.averageMs(),
                instant(st.lastFailureAt), st.tripCount.get(),
                trip == null ? null : Instant.ofEpochMilli(trip.atMillis()),
                trip == null ? null : trip.by(), trip == null ? null : trip.reason(), nextAttempt,
                reset == null ? null : Instant.ofEpochMilli(reset.atMillis()),
                reset == null ? null : reset.by(), reset == null ? null : reset.reason(),
                core.config.recoveryPolicy(), st.calls.sum(), st.successes.sum(), st.failures.sum(),
                st.timeouts.sum(), st.rejections.sum(), st.sheds.sum(), st.slowCalls.sum(),
                st.resets.sum());
    }

    /**
     * Puts a stored snapshot into a freshly created breaker. A stored half-open breaker comes
     * back open with its wait already over, so its next call starts a new trial. A trip whose
     * policy is now manual (or that an operator made) latches.
     */
    public static void restore(BreakerCore core, BreakerSnapshot snap) {
        BreakerStats st = core.stats;
        long nowMillis = core.now();
        long nowNanos = core.shared.clock().monotonicNanos();
        st.tripCount.set(snap.tripCount());
        st.lastError = snap.lastError();
        st.lastFailureAt = snap.lastFailureAt();
        st.latency.restore(snap.avgLatencyMs());
        if (snap.lastResetAt() > 0) {
            st.lastReset = new BreakerStats.ResetInfo(snap.lastResetAt(), snap.lastResetBy(), snap.lastResetReason());
        }
        long age = Math.max(0, nowMillis - snap.lastFailureAt());
        if (snap.lastFailureAt() > 0 && age < core.config.failureWindow().toMillis()) {
            st.restoreScore(nowNanos, age * 1_000_000, snap.failureScore());
        }
        if (snap.state() == State.CLOSED) {
            core.restore(core.current(), snap.stateChangedAt());
            return;
        }
        boolean latched = snap.manualTrip() || core.config.recoveryPolicy() == RecoveryPolicy.MANUAL;
        String by = snap.trippedBy() == null ? AuditRecord.SYSTEM_USER : snap.trippedBy();
        TripInfo trip = new TripInfo(snap.trippedAt() > 0 ? snap.trippedAt() : nowMillis, by,
                snap.tripReason() == null ? "restored from store" : snap.tripReason(),
                snap.manualTrip() ? TripCause.OPERATOR : TripCause.FAILURES, latched, snap.manualTrip());
        long next = latched ? OpenState.NEVER
                : snap.state() == State.HALF_OPEN || snap.nextAttemptAt() <= 0 ? nowMillis : snap.nextAttemptAt();
        core.restore(new OpenState(core, trip, next, Math.max(0, snap.openLevel())), snap.stateChangedAt());
    }

    private static Instant instant(long millis) {
        return millis <= 0 ? null : Instant.ofEpochMilli(millis);
    }
}
