package dev.fusebox;

import dev.fusebox.event.Cause;
import java.time.Instant;
import java.util.Objects;

/**
 * A picture of one breaker at one moment: the {@code BookmakerStatus} fields of the original
 * service (key, tripped, failures, threshold, last error, average latency, last failure, trip
 * count, last reset) plus the state, the current trip and lifetime counters. Counters are read
 * one after the other without a lock, so under traffic they can be a few calls apart.
 *
 * <p>Its JSON form, the same from every door (admin API, command line over a file or over HTTP),
 * is written and read by {@link JsonCodec}. Immutable and thread-safe; build one with
 * {@link #builder(String, State)}.
 */
public final class BreakerStatus {

    private final String key;
    private final State state;
    private final double failures;
    private final double failureThreshold;
    private final double failureRate;
    private final String lastError;
    private final Double avgLatencyMs;
    private final Instant lastFailureAt;
    private final long tripCount;
    private final Instant trippedAt;
    private final String trippedBy;
    private final String tripReason;
    private final Cause tripCause;
    private final Instant nextAttemptAt;
    private final Instant lastResetAt;
    private final String lastResetBy;
    private final String lastResetReason;
    private final RecoveryPolicy recoveryPolicy;
    private final long version;
    private final long calls;
    private final long successes;
    private final long failedCalls;
    private final long timeouts;
    private final long rejections;
    private final long sheds;
    private final long slowCalls;
    private final long resets;

    private BreakerStatus(Builder b) {
        this.key = b.key;
        this.state = b.state;
        this.failures = b.failures;
        this.failureThreshold = b.failureThreshold;
        this.failureRate = b.failureRate;
        this.lastError = b.lastError;
        this.avgLatencyMs = b.avgLatencyMs;
        this.lastFailureAt = b.lastFailureAt;
        this.tripCount = b.tripCount;
        this.trippedAt = b.trippedAt;
        this.trippedBy = b.trippedBy;
        this.tripReason = b.tripReason;
        this.tripCause = b.tripCause;
        this.nextAttemptAt = b.nextAttemptAt;
        this.lastResetAt = b.lastResetAt;
        this.lastResetBy = b.lastResetBy;
        this.lastResetReason = b.lastResetReason;
        this.recoveryPolicy = b.recoveryPolicy;
        this.version = b.version;
        this.calls = b.calls;
        this.successes = b.successes;
        this.failedCalls = b.failedCalls;
        this.timeouts = b.timeouts;
        this.rejections = b.rejections;
        this.sheds = b.sheds;
        this.slowCalls = b.slowCalls;
        this.resets = b.resets;
    }

    /** A builder for the status of {@code key} in {@code state}; everything else starts empty (0, null). */
    public static Builder builder(String key, State state) {
        return new Builder(key, state);
    }

    /** The breaker key (the original service's "bookmaker"). */
    public String key() { return key; }

    /** The current state. */
    public State state() { return state; }

    /** Whether the breaker refuses ordinary traffic ({@code state != CLOSED}). */
    public boolean tripped() { return state.isTripped(); }

    /** The weighted failure score in the window (the {@code failures_1m} gauge). */
    public double failures() { return failures; }

    /** The score that trips the breaker. */
    public double failureThreshold() { return failureThreshold; }

    /** Failed calls / calls in the window, or 0 when rate tracking is off. */
    public double failureRate() { return failureRate; }

    /** The message of the last failure, or null. */
    public String lastError() { return lastError; }

    /** The average latency of sampled successful calls in ms, or null before the first. */
    public Double avgLatencyMs() { return avgLatencyMs; }

    /** When the last failure happened, or null. */
    public Instant lastFailureAt() { return lastFailureAt; }

    /** How many times the breaker tripped (automatically or by an operator). */
    public long tripCount() { return tripCount; }

    /** When the current trip happened, or null when closed. */
    public Instant trippedAt() { return trippedAt; }

    /** Who tripped it ({@code "fusebox"} for an automatic trip), or null when closed. */
    public String trippedBy() { return trippedBy; }

    /** Why it tripped, or null when closed. */
    public String tripReason() { return tripReason; }

    /** What caused the current trip, or null when closed. */
    public Cause tripCause() { return tripCause; }

    /** When an automatically recovering breaker lets a trial call through, or null. */
    public Instant nextAttemptAt() { return nextAttemptAt; }

    /** When an operator last reset it, or null. */
    public Instant lastResetAt() { return lastResetAt; }

    /** Who last reset it, or null. */
    public String lastResetBy() { return lastResetBy; }

    /** Why it was last reset, or null. */
    public String lastResetReason() { return lastResetReason; }

    /** How it recovers. */
    public RecoveryPolicy recoveryPolicy() { return recoveryPolicy; }

    /**
     * The number of state changes stored for this breaker (0 when its state was never stored).
     * Instances sharing a store that show the same version show the same state.
     */
    public long version() { return version; }

    /** Calls that ran (successes, failures, timeouts, ignored errors and calls in flight). */
    public long calls() { return calls; }

    /** Calls that succeeded. */
    public long successes() { return successes; }

    /** Calls that failed hard. */
    public long failedCalls() { return failedCalls; }

    /** Calls that timed out. */
    public long timeouts() { return timeouts; }

    /** Calls refused because the breaker was open. */
    public long rejections() { return rejections; }

    /** Calls refused by load shedding. */
    public long sheds() { return sheds; }

    /** Calls slower than the slow-call threshold (0 when off). */
    public long slowCalls() { return slowCalls; }

    /** Operator resets made through this registry since it started. */
    public long resets() { return resets; }

    /** A builder holding this status's values. */
    public Builder toBuilder() {
        return new Builder(key, state).failures(failures, failureThreshold).failureRate(failureRate)
                .lastFailure(lastError, lastFailureAt).avgLatencyMs(avgLatencyMs).tripCount(tripCount)
                .trip(trippedAt, trippedBy, tripReason, tripCause).nextAttemptAt(nextAttemptAt)
                .lastReset(lastResetAt, lastResetBy, lastResetReason).recoveryPolicy(recoveryPolicy).version(version)
                .calls(calls, successes, failedCalls, timeouts).refusals(rejections, sheds).slowCalls(slowCalls)
                .resets(resets);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BreakerStatus s && s.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "BreakerStatus[key=" + key + ", state=" + state + ", tripped=" + tripped() + ", failures=" + failures
                + ", failureThreshold=" + failureThreshold + ", failureRate=" + failureRate + ", lastError="
                + lastError + ", avgLatencyMs=" + avgLatencyMs + ", lastFailureAt=" + lastFailureAt + ", tripCount="
                + tripCount + ", trippedAt=" + trippedAt + ", trippedBy=" + trippedBy + ", tripReason=" + tripReason
                + ", tripCause=" + tripCause + ", nextAttemptAt=" + nextAttemptAt + ", lastResetAt=" + lastResetAt
                + ", lastResetBy=" + lastResetBy + ", lastResetReason=" + lastResetReason + ", recoveryPolicy="
                + recoveryPolicy + ", version=" + version + ", calls=" + calls + ", successes=" + successes
                + ", failedCalls=" + failedCalls + ", timeouts=" + timeouts + ", rejections=" + rejections
                + ", sheds=" + sheds + ", slowCalls=" + slowCalls + ", resets=" + resets + "]";
    }

    /** Builds a {@link BreakerStatus}. Not thread-safe. */
    public static final class Builder {
        private final String key;
        private final State state;
        private double failures;
        private double failureThreshold;
        private double failureRate;
        private String lastError;
        private Double avgLatencyMs;
        private Instant lastFailureAt;
        private long tripCount;
        private Instant trippedAt;
        private String trippedBy;
        private String tripReason;
        private Cause tripCause;
        private Instant nextAttemptAt;
        private Instant lastResetAt;
        private String lastResetBy;
        private String lastResetReason;
        private RecoveryPolicy recoveryPolicy = BreakerConfig.DEFAULT_RECOVERY_POLICY;
        private long version;
        private long calls;
        private long successes;
        private long failedCalls;
        private long timeouts;
        private long rejections;
        private long sheds;
        private long slowCalls;
        private long resets;

        private Builder(String key, State state) {
            this.key = Objects.requireNonNull(key, "key");
            this.state = Objects.requireNonNull(state, "state");
        }

        /** The failure score and the score that trips the breaker. */
        public Builder failures(double score, double threshold) {
            this.failures = score;
            this.failureThreshold = threshold;
            return this;
        }

        public Builder failureRate(double value) {
            this.failureRate = value;
            return this;
        }

        /** The last failure's message and time (either may be null). */
        public Builder lastFailure(String error, Instant at) {
            this.lastError = error;
            this.lastFailureAt = at;
            return this;
        }

        public Builder avgLatencyMs(Double value) {
            this.avgLatencyMs = value;
            return this;
        }

        public Builder tripCount(long value) {
            this.tripCount = value;
            return this;
        }

        /** The current trip: when, by whom, why and what caused it (all null when closed). */
        public Builder trip(Instant at, String by, String reason, Cause cause) {
            this.trippedAt = at;
            this.trippedBy = by;
            this.tripReason = reason;
            this.tripCause = cause;
            return this;
        }

        public Builder nextAttemptAt(Instant value) {
            this.nextAttemptAt = value;
            return this;
        }

        /** The last operator reset (all null when never). */
        public Builder lastReset(Instant at, String by, String reason) {
            this.lastResetAt = at;
            this.lastResetBy = by;
            this.lastResetReason = reason;
            return this;
        }

        public Builder recoveryPolicy(RecoveryPolicy value) {
            this.recoveryPolicy = Objects.requireNonNull(value, "recoveryPolicy");
            return this;
        }

        public Builder version(long value) {
            this.version = value;
            return this;
        }

        /** Calls that ran, succeeded, failed hard and timed out. */
        public Builder calls(long all, long succeeded, long failed, long timedOut) {
            this.calls = all;
            this.successes = succeeded;
            this.failedCalls = failed;
            this.timeouts = timedOut;
            return this;
        }

        /** Calls refused by the open breaker and by load shedding. */
        public Builder refusals(long rejected, long shed) {
            this.rejections = rejected;
            this.sheds = shed;
            return this;
        }

        public Builder slowCalls(long value) {
            this.slowCalls = value;
            return this;
        }

        public Builder resets(long value) {
            this.resets = value;
            return this;
        }

        public BreakerStatus build() {
            return new BreakerStatus(this);
        }
    }
}
