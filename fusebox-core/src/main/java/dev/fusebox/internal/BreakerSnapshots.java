package dev.fusebox.internal;

import dev.fusebox.BreakerStatus;
import dev.fusebox.LatencyTotals;
import dev.fusebox.State;
import dev.fusebox.event.Cause;
import dev.fusebox.spi.BreakerSnapshot;
import java.time.Instant;

/** Converts a breaker to its stored snapshot and to its public status. */
public final class BreakerSnapshots {

    private BreakerSnapshots() {
    }

    /** What the writer stores for state {@code s} as {@code version}. */
    static BreakerSnapshot of(BreakerCore core, BreakerState s, long version) {
        return base(core, s, version, s instanceof HalfOpenState half ? half.openCause : s.cause).build();
    }

    /** What an operator's change stores: the state {@code to} with the counts the change will make. */
    static BreakerSnapshot afterOperator(BreakerCore core, BreakerState from, BreakerState to, Transitions.Step step,
                                         long version) {
        BreakerSnapshot.Builder b = base(core, to, version, step.cause());
        if (step.cause() == Cause.OPERATOR_TRIP && from.state == State.CLOSED) {
            b.tripCount(core.stats.tripCount.get() + 1);
        }
        if (step.cause().isReset()) {
            b.score(0).lastReset(to.since.millis(), step.user(), step.reason());
        }
        return b.build();
    }

    private static BreakerSnapshot.Builder base(BreakerCore core, BreakerState s, long version, Cause cause) {
        BreakerStats st = core.stats;
        TripInfo trip = s.trip();
        BreakerStats.ResetInfo reset = st.lastReset;
        Double latency = st.latency.averageMs();
        long nextAttempt = 0;
        int level = 0;
        if (s instanceof OpenState open) {
            nextAttempt = open.latched() ? 0 : open.nextAttempt.millis();
            level = open.level;
        } else if (s instanceof HalfOpenState half) {
            // Half-open is one instance probing: stored as open, with its trials due now.
            nextAttempt = half.since.millis();
            level = half.level;
        }
        BreakerSnapshot.Builder b = BreakerSnapshot.builder(core.key, s.state == State.HALF_OPEN ? State.OPEN : s.state)
                .version(version)
                .cause(cause)
                .score(st.score(core.clock().monotonicNanos()))
                .lastFailure(st.lastError, st.lastFailureAt)
                .tripCount(st.tripCount.get())
                .recovery(nextAttempt, level)
                .avgLatencyMs(latency == null ? -1 : latency)
                .times(core.clock().wallMillis(), s.since.millis());
        if (trip != null) {
            b.trip(trip.at().millis(), trip.by(), trip.reason());
        }
        if (reset != null) {
            b.lastReset(reset.atMillis(), reset.by(), reset.reason());
        }
        return b;
    }

    /** The weighted failure score now. */
    public static double failureScore(BreakerCore core) {
        return core.stats.score(core.clock().monotonicNanos());
    }

    /** Lifetime trips (restored from the store at start). */
    public static long tripCount(BreakerCore core) {
        return core.stats.tripCount.get();
    }

    /** Operator resets made here. */
    public static long resets(BreakerCore core) {
        return core.stats.resets.sum();
    }

    /** The average latency of sampled successful calls, or null before the first. */
    public static Double averageLatencyMs(BreakerCore core) {
        return core.stats.latency.averageMs();
    }

    /** The timed successful calls and their total latency. */
    public static LatencyTotals latencyTotals(BreakerCore core) {
        long calls = core.stats.latency.count();
        return new LatencyTotals(calls, core.stats.latency.nanos());
    }

    /** The public status of a breaker. */
    public static BreakerStatus status(BreakerCore core) {
        // The version first: its state is written before it, so the state read next is that
        // version's or a newer one, never an older one.
        long version = core.storedVersion;
        BreakerState s = core.current();
        BreakerStats st = core.stats;
        long nowNanos = core.clock().monotonicNanos();
        TripInfo trip = s.trip();
        BreakerStats.ResetInfo reset = st.lastReset;
        BreakerStatus.Builder b = BreakerStatus.builder(core.key, s.state)
                .failures(st.score(nowNanos), core.config.failureThreshold())
                .failureRate(st.failureRate(nowNanos))
                .lastFailure(st.lastError, instant(st.lastFailureAt))
                .avgLatencyMs(st.latency.averageMs())
                .tripCount(st.tripCount.get())
                .recoveryPolicy(core.config.recoveryPolicy())
                .version(version)
                .calls(st.calls.sum(), st.successes.sum(), st.failures.sum(), st.timeouts.sum())
                .refusals(st.rejections.sum(), st.sheds.sum())
                .slowCalls(st.slowCalls.sum())
                .resets(st.resets.sum());
        if (trip != null) {
            b.trip(Instant.ofEpochMilli(trip.at().millis()), trip.by(), trip.reason(), trip.cause());
        }
        if (s instanceof OpenState open && !open.latched()) {
            b.nextAttemptAt(Instant.ofEpochMilli(open.nextAttempt.millis()));
        }
        if (reset != null) {
            b.lastReset(Instant.ofEpochMilli(reset.atMillis()), reset.by(), reset.reason());
        }
        return b.build();
    }

    /** The failures that made up the score at the breaker's last automatic trip. */
    public static java.util.List<dev.fusebox.RecordedFailure> tripEvidence(BreakerCore core) {
        return core.stats.tripEvidence;
    }

    private static Instant instant(long millis) {
        return millis <= 0 ? null : Instant.ofEpochMilli(millis);
    }
}
