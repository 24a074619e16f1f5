package dev.fusebox;

import java.time.Duration;
import java.util.Objects;

/**
 * The immutable configuration of one breaker. Build with {@link #builder()}; derive a variant
 * with {@link #toBuilder()}. Setters fail fast with the parameter, the bad value and the valid
 * range; checks that span settings run in {@link Builder#build()}.
 *
 * <p>The defaults are those of a bookmaker breaker that waits for an operator: {@link RecoveryPolicy#MANUAL}, threshold 10 within 60 s,
 * hard failures weigh 1.0 and timeouts 0.5 (10 failures or 20 timeouts trip, 19 timeouts do
 * not), a success resets the score, resets are refused for 60 s after a trip.
 *
 * <p>Thread-safe (immutable).
 */
public final class BreakerConfig {

    /** Default of {@code recoveryPolicy}. */
    public static final RecoveryPolicy DEFAULT_RECOVERY_POLICY = RecoveryPolicy.MANUAL;
    /** Default of {@code failureThreshold}. */
    public static final double DEFAULT_FAILURE_THRESHOLD = 10.0;
    /** Default of {@code failureWindow}. */
    public static final Duration DEFAULT_FAILURE_WINDOW = Duration.ofSeconds(60);
    /** Default of {@code failureWeight}. */
    public static final double DEFAULT_FAILURE_WEIGHT = 1.0;
    /** Default of {@code timeoutWeight}. */
    public static final double DEFAULT_TIMEOUT_WEIGHT = 0.5;
    /** Default of {@code minimumCalls}. */
    public static final int DEFAULT_MINIMUM_CALLS = 20;
    /** Default of {@code slowCallRateThreshold}. */
    public static final double DEFAULT_SLOW_CALL_RATE_THRESHOLD = 0.5;
    /** Default of {@code resetCooldown}. */
    public static final Duration DEFAULT_RESET_COOLDOWN = Duration.ofSeconds(60);
    /** Default of {@code openWait}. */
    public static final Duration DEFAULT_OPEN_WAIT = Duration.ofSeconds(60);
    /** Default of {@code maxOpenWait}. */
    public static final Duration DEFAULT_MAX_OPEN_WAIT = Duration.ofMinutes(10);
    /** Default of {@code backoffMultiplier}. */
    public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;
    /** Default of {@code successThreshold}. */
    public static final int DEFAULT_SUCCESS_THRESHOLD = 3;
    /** Default of {@code trialCalls}. */
    public static final int DEFAULT_TRIAL_CALLS = 1;
    /** Default of {@code latencySampleEvery}. */
    public static final int DEFAULT_LATENCY_SAMPLE_EVERY = 16;

    private static final BreakerConfig DEFAULTS = new Builder().build();

    private final RecoveryPolicy recoveryPolicy;
    private final double failureThreshold;
    private final Duration failureWindow;
    private final double failureWeight;
    private final double timeoutWeight;
    private final boolean successResetsFailures;
    private final double failureRateThreshold;
    private final Duration slowCallThreshold;
    private final double slowCallRateThreshold;
    private final int minimumCalls;
    private final Duration callTimeout;
    private final Duration resetCooldown;
    private final Duration openWait;
    private final Duration maxOpenWait;
    private final double backoffMultiplier;
    private final int successThreshold;
    private final int trialCalls;
    private final OutcomeClassifier classifier;
    private final int latencySampleEvery;

    private BreakerConfig(Builder b) {
        this.recoveryPolicy = b.recoveryPolicy;
        this.failureThreshold = b.failureThreshold;
        this.failureWindow = b.failureWindow;
        this.failureWeight = b.failureWeight;
        this.timeoutWeight = b.timeoutWeight;
        this.successResetsFailures = b.successResetsFailures;
        this.failureRateThreshold = b.failureRateThreshold;
        this.slowCallThreshold = b.slowCallThreshold;
        this.slowCallRateThreshold = b.slowCallRateThreshold;
        this.minimumCalls = b.minimumCalls;
        this.callTimeout = b.callTimeout;
        this.resetCooldown = b.resetCooldown;
        this.openWait = b.openWait;
        this.maxOpenWait = b.maxOpenWait;
        this.backoffMultiplier = b.backoffMultiplier;
        this.successThreshold = b.successThreshold;
        this.trialCalls = b.trialCalls;
        this.classifier = b.classifier;
        this.latencySampleEvery = b.latencySampleEvery;
    }

    /** The defaults (see the class comment). */
    public static BreakerConfig defaults() {
        return DEFAULTS;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** How the breaker closes after a trip. Default {@link RecoveryPolicy#MANUAL}. */
    public RecoveryPolicy recoveryPolicy() { return recoveryPolicy; }

    /** The weighted failure score that trips the breaker. Default 10. */
    public double failureThreshold() { return failureThreshold; }

    /** How long a failure counts towards the score. Default 60 s. */
    public Duration failureWindow() { return failureWindow; }

    /** Weight of a hard failure. Default 1.0. */
    public double failureWeight() { return failureWeight; }

    /** Weight of a timeout. Default 0.5. */
    public double timeoutWeight() { return timeoutWeight; }

    /** Whether a success sets the failure score back to zero. Default true. */
    public boolean successResetsFailures() { return successResetsFailures; }

    /** Failure rate (0 to 1) in the window that trips the breaker; 0 means off (default). */
    public double failureRateThreshold() { return failureRateThreshold; }

    /** Duration above which a call counts as slow; null means slow-call counting is off (default). */
    public Duration slowCallThreshold() { return slowCallThreshold; }

    /** Share of slow calls (0 to 1) in the window that trips the breaker. Default 0.5. */
    public double slowCallRateThreshold() { return slowCallRateThreshold; }

    /** Calls in the window before a rate threshold can trip. Default 20. */
    public int minimumCalls() { return minimumCalls; }

    /** Per-call timeout; null means none (default). */
    public Duration callTimeout() { return callTimeout; }

    /** How long after a trip a reset without force is refused. Default 60 s. */
    public Duration resetCooldown() { return resetCooldown; }

    /** {@link RecoveryPolicy#AUTOMATIC}: first open period. Default 60 s. */
    public Duration openWait() { return openWait; }

    /** {@link RecoveryPolicy#AUTOMATIC}: longest open period after backoff. Default 10 min. */
    public Duration maxOpenWait() { return maxOpenWait; }

    /** {@link RecoveryPolicy#AUTOMATIC}: factor applied to the open period on each re-open. Default 2. */
    public double backoffMultiplier() { return backoffMultiplier; }

    /** {@link RecoveryPolicy#AUTOMATIC}: successful trial calls that close the breaker. Default 3. */
    public int successThreshold() { return successThreshold; }

    /** {@link RecoveryPolicy#AUTOMATIC}: trial calls allowed in flight at once in half-open. Default 1. */
    public int trialCalls() { return trialCalls; }

    /** Decides whether an error is a failure, a timeout or ignored. Default {@link OutcomeClassifier#DEFAULT}. */
    public OutcomeClassifier classifier() { return classifier; }

    /** One call in this many is timed for the average latency (1 = every call). Default 16. */
    public int latencySampleEvery() { return latencySampleEvery; }

    /** Whether every call must read the clock (rate thresholds or slow-call counting are on). */
    public boolean timesEveryCall() {
        return failureRateThreshold > 0 || slowCallThreshold != null || latencySampleEvery == 1;
    }

    @Override
    public String toString() {
        return "BreakerConfig{" + recoveryPolicy + ", threshold " + failureThreshold + " in " + failureWindow
                + ", weights " + failureWeight + "/" + timeoutWeight
                + (failureRateThreshold > 0 ? ", failureRate " + failureRateThreshold : "")
                + (slowCallThreshold != null ? ", slow " + slowCallThreshold + " @" + slowCallRateThreshold : "")
                + (callTimeout != null ? ", timeout " + callTimeout : "")
                + ", cooldown " + resetCooldown
                + (recoveryPolicy == RecoveryPolicy.AUTOMATIC
                        ? ", open " + openWait + ".." + maxOpenWait + ", successes " + successThreshold : "")
                + "}";
    }

    /** Builds a {@link BreakerConfig}. Not thread-safe. */
    public static final class Builder {
        private RecoveryPolicy recoveryPolicy = DEFAULT_RECOVERY_POLICY;
        private double failureThreshold = DEFAULT_FAILURE_THRESHOLD;
        private Duration failureWindow = DEFAULT_FAILURE_WINDOW;
        private double failureWeight = DEFAULT_FAILURE_WEIGHT;
        private double timeoutWeight = DEFAULT_TIMEOUT_WEIGHT;
        private boolean successResetsFailures = true;
        private double failureRateThreshold;
        private Duration slowCallThreshold;
        private double slowCallRateThreshold = DEFAULT_SLOW_CALL_RATE_THRESHOLD;
        private int minimumCalls = DEFAULT_MINIMUM_CALLS;
        private Duration callTimeout;
        private Duration resetCooldown = DEFAULT_RESET_COOLDOWN;
        private Duration openWait = DEFAULT_OPEN_WAIT;
        private Duration maxOpenWait = DEFAULT_MAX_OPEN_WAIT;
        private double backoffMultiplier = DEFAULT_BACKOFF_MULTIPLIER;
        private int successThreshold = DEFAULT_SUCCESS_THRESHOLD;
        private int trialCalls = DEFAULT_TRIAL_CALLS;
        private OutcomeClassifier classifier = OutcomeClassifier.DEFAULT;
        private int latencySampleEvery = DEFAULT_LATENCY_SAMPLE_EVERY;

        private Builder() {
        }

        private Builder(BreakerConfig c) {
            recoveryPolicy = c.recoveryPolicy;
            failureThreshold = c.failureThreshold;
            failureWindow = c.failureWindow;
            failureWeight = c.failureWeight;
            timeoutWeight = c.timeoutWeight;
            successResetsFailures = c.successResetsFailures;
            failureRateThreshold = c.failureRateThreshold;
            slowCallThreshold = c.slowCallThreshold;
            slowCallRateThreshold = c.slowCallRateThreshold;
            minimumCalls = c.minimumCalls;
            callTimeout = c.callTimeout;
            resetCooldown = c.resetCooldown;
            openWait = c.openWait;
            maxOpenWait = c.maxOpenWait;
            backoffMultiplier = c.backoffMultiplier;
            successThreshold = c.successThreshold;
            trialCalls = c.trialCalls;
            classifier = c.classifier;
            latencySampleEvery = c.latencySampleEvery;
        }

        /** @param value how tripped breakers recover; default {@link RecoveryPolicy#MANUAL} */
        public Builder recoveryPolicy(RecoveryPolicy value) {
            recoveryPolicy = Objects.requireNonNull(value, "recoveryPolicy");
            return this;
        }

        /** @param value &gt; 0 and at most 1,000,000 */
        public Builder failureThreshold(double value) {
            failureThreshold = Checks.range("failureThreshold", value, Double.MIN_VALUE, 1_000_000);
            return this;
        }

        /** @param value 1 s to 1 h */
        public Builder failureWindow(Duration value) {
            failureWindow = Checks.range("failureWindow", value, Duration.ofSeconds(1), Duration.ofHours(1));
            return this;
        }

        /** @param value 0 to 1,000 */
        public Builder failureWeight(double value) {
            failureWeight = Checks.range("failureWeight", value, 0, 1000);
            return this;
        }

        /** @param value 0 to 1,000 */
        public Builder timeoutWeight(double value) {
            timeoutWeight = Checks.range("timeoutWeight", value, 0, 1000);
            return this;
        }

        /** @param value whether a success sets the failure score to zero; default true */
        public Builder successResetsFailures(boolean value) {
            successResetsFailures = value;
            return this;
        }

        /** @param value 0 (off) to 1 */
        public Builder failureRateThreshold(double value) {
            failureRateThreshold = Checks.range("failureRateThreshold", value, 0, 1);
            return this;
        }

        /** @param value a positive duration, or null to turn slow-call counting off */
        public Builder slowCallThreshold(Duration value) {
            slowCallThreshold = value == null ? null
                    : Checks.range("slowCallThreshold", value, Duration.ofNanos(1), Duration.ofHours(1));
            return this;
        }

        /** @param value &gt; 0 to 1 */
        public Builder slowCallRateThreshold(double value) {
            slowCallRateThreshold = Checks.range("slowCallRateThreshold", value, Double.MIN_VALUE, 1);
            return this;
        }

        /** @param value 1 to 1,000,000 */
        public Builder minimumCalls(int value) {
            minimumCalls = (int) Checks.range("minimumCalls", value, 1, 1_000_000);
            return this;
        }

        /** @param value a positive duration up to 1 h, or null for no timeout */
        public Builder callTimeout(Duration value) {
            callTimeout = value == null ? null
                    : Checks.range("callTimeout", value, Duration.ofMillis(1), Duration.ofHours(1));
            return this;
        }

        /** @param value 0 to 24 h */
        public Builder resetCooldown(Duration value) {
            resetCooldown = Checks.range("resetCooldown", value, Duration.ZERO, Duration.ofHours(24));
            return this;
        }

        /** @param value 1 ms to 24 h */
        public Builder openWait(Duration value) {
            openWait = Checks.range("openWait", value, Duration.ofMillis(1), Duration.ofHours(24));
            return this;
        }

        /** @param value 1 ms to 24 h, and at least {@link #openWait(Duration)} (checked in build) */
        public Builder maxOpenWait(Duration value) {
            maxOpenWait = Checks.range("maxOpenWait", value, Duration.ofMillis(1), Duration.ofHours(24));
            return this;
        }

        /** @param value 1 to 100 */
        public Builder backoffMultiplier(double value) {
            backoffMultiplier = Checks.range("backoffMultiplier", value, 1, 100);
            return this;
        }

        /** @param value 1 to 1,000 */
        public Builder successThreshold(int value) {
            successThreshold = (int) Checks.range("successThreshold", value, 1, 1000);
            return this;
        }

        /** @param value 1 to 1,000 */
        public Builder trialCalls(int value) {
            trialCalls = (int) Checks.range("trialCalls", value, 1, 1000);
            return this;
        }

        /** @param value decides how errors count; default {@link OutcomeClassifier#DEFAULT} */
        public Builder classifier(OutcomeClassifier value) {
            classifier = Objects.requireNonNull(value, "classifier");
            return this;
        }

        /** @param value a power of two from 1 (time every call) to 1024 */
        public Builder latencySampleEvery(int value) {
            Checks.range("latencySampleEvery", value, 1, 1024);
            if (Integer.bitCount(value) != 1) {
                throw new IllegalArgumentException("latencySampleEvery must be a power of two, but was " + value);
            }
            latencySampleEvery = value;
            return this;
        }

        /**
         * The config.
         *
         * @throws IllegalArgumentException if maxOpenWait &lt; openWait, or both weights are 0
         */
        public BreakerConfig build() {
            if (maxOpenWait.compareTo(openWait) < 0) {
                throw new IllegalArgumentException("maxOpenWait must be >= openWait (" + openWait
                        + "), but was " + maxOpenWait);
            }
            if (failureWeight == 0 && timeoutWeight == 0 && failureRateThreshold == 0 && slowCallThreshold == null) {
                throw new IllegalArgumentException(
                        "failureWeight and timeoutWeight are both 0 and no rate threshold is set: the breaker could never trip");
            }
            return new BreakerConfig(this);
        }
    }
}
