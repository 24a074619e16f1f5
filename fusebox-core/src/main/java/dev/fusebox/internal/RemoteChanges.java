package dev.fusebox.internal;

import dev.fusebox.Clock;
import dev.fusebox.RecoveryPolicy;
import dev.fusebox.State;
import dev.fusebox.event.Cause;
import dev.fusebox.event.Change;
import dev.fusebox.spi.BreakerSnapshot;

/**
 * Takes stored state into a breaker: another instance's change ({@link #adopt}), the state
 * stored before this process started ({@link #restore}), or the state of a store that became
 * readable again ({@link #loaded}).
 *
 * <p>The rule between instances: a stored change with a higher {@link BreakerSnapshot#version()}
 * than the one a breaker's state is based on replaces that state, local changes not stored yet
 * included. Every instance therefore ends on the state of the highest version: the last change
 * the store committed. Counting stays local: another instance's failure scores never change
 * this one's. An adopted change is neither written back nor audited again.
 */
public final class RemoteChanges {

    private RemoteChanges() {
    }

    /**
     * Adopts a stored change newer than what the breaker is based on, unless the breaker has an
     * automatic change of its own, not stored yet, made after the stored one (and the stored one is
     * not an operator's trip): that change is then stored over the row instead. Called holding
     * {@link BreakerCore#storeLock}.
     *
     * @param shareAutomaticTrips whether changes another instance made on its own (trips,
     *     recoveries) apply here too; operators' trips and resets always do
     */
    static void adopt(BreakerCore core, BreakerSnapshot snapshot, boolean shareAutomaticTrips) {
        if (snapshot.version() <= core.storedVersion) {
            return;
        }
        if (!shareAutomaticTrips && !snapshot.cause().byOperator()) {
            core.storedVersion = snapshot.version(); // noted: a later change here is stored over it
            return;
        }
        if (core.hasUnwrittenState() && snapshot.cause() != Cause.OPERATOR_TRIP
                && newerHere(core.current(), snapshot)) {
            // This breaker changed on its own after the stored change, and has not stored that
            // yet: it is the newer news. It is stored over the row, which everyone then adopts. An
            // operator's trip is never overruled this way: it waits for an operator's reset.
            core.storedVersion = snapshot.version();
            core.stats.tripCount.accumulateAndGet(snapshot.tripCount(), Math::max);
            core.shared.store().requestFlush();
            return;
        }
        core.dropStateDirty();
        core.stats.tripCount.accumulateAndGet(snapshot.tripCount(), Math::max);
        BreakerState current = core.current();
        if (!sameTrip(current, snapshot)) {
            Transitions.commit(core, current, stateOf(core, snapshot), new Transitions.Step(snapshot.cause(),
                    user(snapshot), reason(snapshot), Transitions.Origin.REMOTE));
        }
        // After the state: whoever reads this version (status reads it first) then sees its state.
        core.storedVersion = snapshot.version();
    }

    /** Puts the state stored before this process started into a breaker nobody has used yet. */
    public static void restore(BreakerCore core, BreakerSnapshot snapshot) {
        try (Listeners.Held events = core.shared.listeners().hold()) {
            restoreHoldingEvents(core, snapshot);
        }
    }

    private static void restoreHoldingEvents(BreakerCore core, BreakerSnapshot snapshot) {
        core.storeLock.lock();
        try {
            restoreCounts(core, snapshot);
            if (snapshot.state() != State.CLOSED) {
                Transitions.commit(core, core.current(), stateOf(core, snapshot), new Transitions.Step(
                        snapshot.cause(), user(snapshot), reason(snapshot), Transitions.Origin.STORED));
            }
            core.storedVersion = snapshot.version(); // after the state, as in adopt
        } finally {
            core.storeLock.unlock();
            core.shared.store().drainInbox(core);
        }
    }

    /**
     * The store became readable: a breaker whose state was unknown takes its stored state, or
     * closes when nothing is stored for it; a breaker that was not waiting for it (the registry
     * started closed, as told) takes the stored state when it is newer than its own.
     *
     * @param snapshot the stored state, or null
     */
    public static void loaded(BreakerCore core, BreakerSnapshot snapshot) {
        try (Listeners.Held events = core.shared.listeners().hold()) {
            loadedHoldingEvents(core, snapshot);
        }
    }

    private static void loadedHoldingEvents(BreakerCore core, BreakerSnapshot snapshot) {
        core.storeLock.lock();
        try {
            if (!core.stateUnknown()) {
                if (snapshot != null && snapshot.version() > core.storedVersion) {
                    adopt(core, snapshot, true); // what was stored is applied, shared or not
                }
                return;
            }
            BreakerState next = new ClosedState(core.now());
            String by = Change.SYSTEM_USER;
            String reason = "stored state read: nothing stored";
            if (snapshot != null) {
                restoreCounts(core, snapshot);
                next = snapshot.state() == State.CLOSED ? next : stateOf(core, snapshot);
                by = user(snapshot);
                reason = "stored state read: " + reason(snapshot);
            }
            Transitions.commit(core, core.current(), next,
                    new Transitions.Step(Cause.STATE_LOADED, by, reason, Transitions.Origin.STORED));
            if (snapshot != null) {
                core.storedVersion = snapshot.version();
            }
        } finally {
            core.storeLock.unlock();
            core.shared.store().drainInbox(core);
        }
    }

    /**
     * What to keep of a breaker removed from the registry: its state if it is tripped (for the
     * breaker made again for its key), else null.
     */
    public static BreakerSnapshot tripToKeep(BreakerCore core) {
        core.storeLock.lock();
        try {
            BreakerState s = core.current();
            return s.state.isTripped() ? BreakerSnapshots.of(core, s, core.storedVersion) : null;
        } finally {
            core.storeLock.unlock();
        }
    }

    /** Refuses calls until the stored state can be read. */
    public static void unknown(BreakerCore core, String why) {
        Stamp now = core.now();
        TripInfo trip = new TripInfo(now, Change.SYSTEM_USER, why, Cause.STATE_UNKNOWN, true);
        Transitions.commit(core, core.current(), new OpenState(core, trip, 0, now, null),
                new Transitions.Step(Cause.STATE_UNKNOWN, Change.SYSTEM_USER, why, Transitions.Origin.STORED));
    }

    private static void restoreCounts(BreakerCore core, BreakerSnapshot snapshot) {
        BreakerStats st = core.stats;
        Clock clock = core.clock();
        st.tripCount.set(snapshot.tripCount());
        st.lastError = snapshot.lastError();
        st.lastFailureAt = snapshot.lastFailureAt();
        st.latency.restore(snapshot.avgLatencyMs());
        if (snapshot.lastResetAt() > 0) {
            st.lastReset = new BreakerStats.ResetInfo(snapshot.lastResetAt(), snapshot.lastResetBy(),
                    snapshot.lastResetReason());
        }
        long age = Math.max(0, clock.wallMillis() - snapshot.lastFailureAt());
        if (snapshot.lastFailureAt() > 0 && age < core.config.failureWindow().toMillis()) {
            st.restoreScore(clock.monotonicNanos(), age * 1_000_000, snapshot.failureScore());
        }
    }

    /**
     * The state a snapshot describes. A stored half-open breaker comes back open with its wait
     * over, so its next call starts a new trial. A trip an operator made, a trip under
     * {@link RecoveryPolicy#MANUAL} and a state that could not be read latch.
     */
    private static BreakerState stateOf(BreakerCore core, BreakerSnapshot s) {
        Clock clock = core.clock();
        Stamp since = s.stateChangedAt() > 0 ? Stamp.ofWall(clock, s.stateChangedAt()) : Stamp.now(clock);
        if (s.state() == State.CLOSED) {
            return new ClosedState(since);
        }
        Cause cause = s.cause() == Cause.STATE_UNKNOWN ? Cause.STATE_UNKNOWN
                : s.manualTrip() ? Cause.OPERATOR_TRIP : Cause.FAILURES;
        boolean latched = cause != Cause.FAILURES || core.config.recoveryPolicy() == RecoveryPolicy.MANUAL;
        long at = s.trippedAt() > 0 ? s.trippedAt() : since.millis();
        TripInfo trip = new TripInfo(Stamp.ofWall(clock, at), s.trippedBy() == null ? Change.SYSTEM_USER : s.trippedBy(),
                s.tripReason() == null ? "no reason stored" : s.tripReason(), cause, latched);
        Stamp next = s.state() == State.HALF_OPEN || s.nextAttemptAt() <= 0 ? Stamp.now(clock)
                : Stamp.ofWall(clock, s.nextAttemptAt());
        return new OpenState(core, trip, Math.max(0, s.openLevel()), since, next);
    }

    /**
     * Whether the breaker's own state is newer than the stored change: later, or in the same
     * millisecond and tripped (of two changes that cannot be ordered, the one that refuses calls).
     */
    private static boolean newerHere(BreakerState current, BreakerSnapshot stored) {
        long here = current.since.millis();
        return stored.stateChangedAt() < here || stored.stateChangedAt() == here && current.state.isTripped();
    }

    /** Whether the breaker already is in the state {@code s} describes: closed, or the same trip. */
    private static boolean sameTrip(BreakerState current, BreakerSnapshot s) {
        if (current.state == State.CLOSED && s.state() == State.CLOSED) {
            return true;
        }
        TripInfo trip = current.trip();
        return trip != null && s.state() != State.CLOSED && trip.at().millis() == s.trippedAt()
                && trip.by().equals(s.trippedBy()) && trip.byOperator() == s.manualTrip();
    }

    private static String user(BreakerSnapshot s) {
        if (s.cause().isReset()) {
            return s.lastResetBy() == null ? Change.SYSTEM_USER : s.lastResetBy();
        }
        return s.state() == State.CLOSED || s.trippedBy() == null ? Change.SYSTEM_USER : s.trippedBy();
    }

    private static String reason(BreakerSnapshot s) {
        if (s.cause().isReset()) {
            return s.lastResetReason() == null ? "" : s.lastResetReason();
        }
        if (s.state() == State.CLOSED) {
            return "trial calls succeeded";
        }
        return s.tripReason() == null ? "no reason stored" : s.tripReason();
    }
}
