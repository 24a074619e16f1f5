package dev.fusebox.spi;

import dev.fusebox.State;
import dev.fusebox.event.Cause;
import java.util.Objects;

/**
 * What a store keeps of one breaker (a {@code circuit_breaker_state} row). Times are wall-clock
 * milliseconds since the epoch; 0 means "never". Immutable and thread-safe; build one with
 * {@link #builder(String, State)}.
 *
 * <p>{@link #version()} orders the state changes of one breaker across every instance sharing a
 * store: a store writes a new state only over the version it was based on (compare-and-set, see
 * {@link BreakerStore#commit}), so the stored row is always the last change committed, and every
 * instance converges on it.
 */
public final class BreakerSnapshot {

    private final String key;
    private final State state;
    private final long version;
    private final Cause cause;
    private final double failureScore;
    private final String lastError;
    private final long lastFailureAt;
    private final long tripCount;
    private final long trippedAt;
    private final String trippedBy;
    private final String tripReason;
    private final long nextAttemptAt;
    private final int openLevel;
    private final long lastResetAt;
    private final String lastResetBy;
    private final String lastResetReason;
    private final double avgLatencyMs;
    private final long updatedAt;
    private final long stateChangedAt;
    private final long changeId;

    private BreakerSnapshot(Builder b) {
        this.key = b.key;
        this.state = b.state;
        this.version = b.version;
        this.cause = b.cause != null ? b.cause : guessCause(b);
        this.failureScore = b.failureScore;
        this.lastError = b.lastError;
        this.lastFailureAt = b.lastFailureAt;
        this.tripCount = b.tripCount;
        this.trippedAt = b.trippedAt;
        this.trippedBy = b.trippedBy;
        this.tripReason = b.tripReason;
        this.nextAttemptAt = b.nextAttemptAt;
        this.openLevel = b.openLevel;
        this.lastResetAt = b.lastResetAt;
        this.lastResetBy = b.lastResetBy;
        this.lastResetReason = b.lastResetReason;
        this.avgLatencyMs = b.avgLatencyMs;
        this.updatedAt = b.updatedAt;
        this.stateChangedAt = b.stateChangedAt;
        this.changeId = b.changeId;
    }

    /** For rows written without a cause: what the other columns say. */
    private static Cause guessCause(Builder b) {
        if (b.state.isTripped()) {
            return b.manualTrip ? Cause.OPERATOR_TRIP : Cause.FAILURES;
        }
        return b.lastResetAt > 0 && b.lastResetAt >= b.stateChangedAt ? Cause.OPERATOR_RESET : Cause.TRIALS_SUCCEEDED;
    }

    /** A builder for the row of {@code key} in {@code state}; everything else starts at 0 or null. */
    public static Builder builder(String key, State state) {
        return new Builder(key, state);
    }

    /** The breaker key (column {@code bookmaker}). */
    public String key() { return key; }

    /** The state. */
    public State state() { return state; }

    /** The number of state changes committed for this breaker; 0 for a row no state change wrote. */
    public long version() { return version; }

    /** What caused the last state change. */
    public Cause cause() { return cause; }

    /** Whether an operator tripped it (such a trip never recovers automatically). */
    public boolean manualTrip() { return state.isTripped() && cause == Cause.OPERATOR_TRIP; }

    /** The weighted failure score when the snapshot was taken. */
    public double failureScore() { return failureScore; }

    /** The last failure message, or null. */
    public String lastError() { return lastError; }

    /** When the last failure happened. */
    public long lastFailureAt() { return lastFailureAt; }

    /** Lifetime trips. */
    public long tripCount() { return tripCount; }

    /** When the current trip happened (0 when closed). */
    public long trippedAt() { return trippedAt; }

    /** Who tripped it, or null. */
    public String trippedBy() { return trippedBy; }

    /** Why, or null. */
    public String tripReason() { return tripReason; }

    /** Automatic recovery: when a trial call is next allowed (0 when none). */
    public long nextAttemptAt() { return nextAttemptAt; }

    /** How many times in a row the breaker re-opened (the backoff exponent). */
    public int openLevel() { return openLevel; }

    /** When it was last reset. */
    public long lastResetAt() { return lastResetAt; }

    /** Who last reset it, or null. */
    public String lastResetBy() { return lastResetBy; }

    /** Why, or null. */
    public String lastResetReason() { return lastResetReason; }

    /** Average latency of sampled successful calls, or -1 when unknown. */
    public double avgLatencyMs() { return avgLatencyMs; }

    /** When the snapshot was taken. */
    public long updatedAt() { return updatedAt; }

    /** When the breaker entered its current state. */
    public long stateChangedAt() { return stateChangedAt; }

    /**
     * A random number the writer gave the state change, 0 when unknown. A writer that could not
     * tell whether its commit landed (the connection broke during it) finds its own change by it.
     */
    public long changeId() { return changeId; }

    /** A builder holding this snapshot's values. */
    public Builder toBuilder() {
        return new Builder(key, state).version(version).cause(cause).score(failureScore)
                .lastFailure(lastError, lastFailureAt).tripCount(tripCount).trip(trippedAt, trippedBy, tripReason)
                .recovery(nextAttemptAt, openLevel).lastReset(lastResetAt, lastResetBy, lastResetReason)
                .avgLatencyMs(avgLatencyMs).times(updatedAt, stateChangedAt).changeId(changeId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BreakerSnapshot s && s.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "BreakerSnapshot[key=" + key + ", state=" + state + ", version=" + version + ", cause=" + cause
                + ", failureScore=" + failureScore + ", lastError=" + lastError + ", lastFailureAt=" + lastFailureAt
                + ", tripCount=" + tripCount + ", trippedAt=" + trippedAt + ", trippedBy=" + trippedBy
                + ", tripReason=" + tripReason + ", nextAttemptAt=" + nextAttemptAt + ", openLevel=" + openLevel
                + ", lastResetAt=" + lastResetAt + ", lastResetBy=" + lastResetBy + ", lastResetReason="
                + lastResetReason + ", avgLatencyMs=" + avgLatencyMs + ", updatedAt=" + updatedAt
                + ", stateChangedAt=" + stateChangedAt + ", changeId=" + changeId + "]";
    }

    /** Builds a {@link BreakerSnapshot}. Not thread-safe. */
    public static final class Builder {
        private final String key;
        private final State state;
        private long version;
        private Cause cause;
        private boolean manualTrip;
        private double failureScore;
        private String lastError;
        private long lastFailureAt;
        private long tripCount;
        private long trippedAt;
        private String trippedBy;
        private String tripReason;
        private long nextAttemptAt;
        private int openLevel;
        private long lastResetAt;
        private String lastResetBy;
        private String lastResetReason;
        private double avgLatencyMs = -1;
        private long updatedAt;
        private long stateChangedAt;
        private long changeId;

        private Builder(String key, State state) {
            this.key = Objects.requireNonNull(key, "key");
            this.state = Objects.requireNonNull(state, "state");
        }

        public Builder version(long value) {
            this.version = value;
            return this;
        }

        /** What caused the last state change; null to derive it from the other columns. */
        public Builder cause(Cause value) {
            this.cause = value;
            return this;
        }

        /**
         * For rows written without a cause: whether an operator made the trip. Ignored when a
         * {@link #cause} is given.
         */
        public Builder manualTrip(boolean value) {
            this.manualTrip = value;
            return this;
        }

        public Builder score(double value) {
            this.failureScore = value;
            return this;
        }

        public Builder lastFailure(String error, long atMillis) {
            this.lastError = error;
            this.lastFailureAt = atMillis;
            return this;
        }

        public Builder tripCount(long value) {
            this.tripCount = value;
            return this;
        }

        public Builder trip(long atMillis, String by, String reason) {
            this.trippedAt = atMillis;
            this.trippedBy = by;
            this.tripReason = reason;
            return this;
        }

        /** Automatic recovery: the next trial time (0 for none) and the backoff level. */
        public Builder recovery(long nextAttemptAtMillis, int level) {
            this.nextAttemptAt = nextAttemptAtMillis;
            this.openLevel = level;
            return this;
        }

        public Builder lastReset(long atMillis, String by, String reason) {
            this.lastResetAt = atMillis;
            this.lastResetBy = by;
            this.lastResetReason = reason;
            return this;
        }

        /** Average latency in ms, negative for unknown. */
        public Builder avgLatencyMs(double value) {
            this.avgLatencyMs = value;
            return this;
        }

        /** When the snapshot was taken and when the breaker entered its state. */
        public Builder times(long updatedAtMillis, long stateChangedAtMillis) {
            this.updatedAt = updatedAtMillis;
            this.stateChangedAt = stateChangedAtMillis;
            return this;
        }

        /** See {@link BreakerSnapshot#changeId()}. */
        public Builder changeId(long value) {
            this.changeId = value;
            return this;
        }

        public BreakerSnapshot build() {
            return new BreakerSnapshot(this);
        }
    }
}
