package dev.fusebox.spring.boot;

import dev.fusebox.BreakerConfig;
import dev.fusebox.Presets;
import dev.fusebox.RecoveryPolicy;
import java.time.Duration;

/**
 * The settings of one breaker, one group of breakers (a key prefix) or the defaults, as written
 * under {@code fusebox.defaults}, {@code fusebox.breakers.KEY} and {@code fusebox.prefixes.PREFIX}.
 * A setting left out is taken from the {@link #getPreset() preset} if one is named, otherwise from
 * {@code fusebox.defaults} (for the defaults themselves: from {@link BreakerConfig#defaults()}).
 * Ranges are those of {@link BreakerConfig.Builder}; a value out of range stops the application at
 * start with the property's name.
 *
 * <p>Not thread-safe: bound once at start.
 */
public class BreakerProperties {

    /** A ready configuration a group of settings starts from. */
    public enum Preset {
        /** {@link Presets#DEFAULT}: manual recovery, 10 failures in 60 s, cooldown 60 s. */
        DEFAULT(Presets.DEFAULT),
        /** {@link Presets#READ}: automatic recovery, 3 failures, open 3 s backing off to 15 s. */
        READ(Presets.READ),
        /** {@link Presets#WRITE}: automatic recovery, 5 failures, open 10 s backing off to 60 s. */
        WRITE(Presets.WRITE),
        /** {@link Presets#AUTH}: automatic recovery, 10 failures, open 5 s backing off to 30 s. */
        AUTH(Presets.AUTH);

        private final BreakerConfig config;

        Preset(BreakerConfig config) {
            this.config = config;
        }

        /** The configuration this preset stands for. */
        public BreakerConfig config() {
            return config;
        }
    }

    /** Ready configuration to start from: default, read, write or auth. Settings given here override it. */
    private Preset preset;

    /** How a tripped breaker closes: manual (an operator resets it) or automatic (trial calls after open-wait). */
    private RecoveryPolicy recoveryPolicy;

    /** Weighted failure score within failure-window that trips the breaker, > 0. */
    private Double failureThreshold;

    /** How long a failure counts towards the score, 1s to 1h. */
    private Duration failureWindow;

    /** Weight of a hard failure, 0 to 1000. */
    private Double failureWeight;

    /** Weight of a timeout, 0 to 1000. */
    private Double timeoutWeight;

    /** Whether a success sets the failure score back to zero. */
    private Boolean successResetsFailures;

    /** Share of failed calls in the window (0 to 1) that trips the breaker; 0 turns it off. */
    private Double failureRateThreshold;

    /** Calls in the window before a rate threshold can trip, 1 to 1,000,000. */
    private Integer minimumCalls;

    /** Duration above which a call counts as slow; 0 turns slow-call counting off. */
    private Duration slowCallThreshold;

    /** Share of slow calls in the window (above 0, up to 1) that trips the breaker. */
    private Double slowCallRateThreshold;

    /** Abandon a call after this long, counted as a timeout (up to 1h); 0 means no timeout. */
    private Duration callTimeout;

    /** How long after a trip a reset without force is refused, 0 to 24h. */
    private Duration resetCooldown;

    /** Automatic recovery: the first open period before trial calls, 1ms to 24h. */
    private Duration openWait;

    /** Automatic recovery: the longest open period after backoff, at least open-wait. */
    private Duration maxOpenWait;

    /** Automatic recovery: factor applied to the open period at each re-open, 1 to 100. */
    private Double backoffMultiplier;

    /** Automatic recovery: successful trial calls that close the breaker, 1 to 1000. */
    private Integer successThreshold;

    /** Automatic recovery: trial calls in flight at once, 1 to 1000. */
    private Integer trialCalls;

    /** One call in this many is timed for the average latency: a power of two from 1 to 1024. */
    private Integer latencySampleEvery;

    /**
     * The configuration these settings describe on top of {@code inherited}: the named preset
     * replaces {@code inherited}, then every setting given overrides it.
     *
     * @throws IllegalArgumentException naming the setting, the value and the range, as
     *     {@link BreakerConfig.Builder} does
     */
    public BreakerConfig toConfig(BreakerConfig inherited) {
        BreakerConfig.Builder b = (preset != null ? preset.config() : inherited).toBuilder();
        if (recoveryPolicy != null) {
            b.recoveryPolicy(recoveryPolicy);
        }
        if (failureThreshold != null) {
            b.failureThreshold(failureThreshold);
        }
        if (failureWindow != null) {
            b.failureWindow(failureWindow);
        }
        if (failureWeight != null) {
            b.failureWeight(failureWeight);
        }
        if (timeoutWeight != null) {
            b.timeoutWeight(timeoutWeight);
        }
        if (successResetsFailures != null) {
            b.successResetsFailures(successResetsFailures);
        }
        if (failureRateThreshold != null) {
            b.failureRateThreshold(failureRateThreshold);
        }
        if (minimumCalls != null) {
            b.minimumCalls(minimumCalls);
        }
        if (slowCallThreshold != null) {
            b.slowCallThreshold(slowCallThreshold.isZero() ? null : slowCallThreshold);
        }
        if (slowCallRateThreshold != null) {
            b.slowCallRateThreshold(slowCallRateThreshold);
        }
        if (callTimeout != null) {
            b.callTimeout(callTimeout.isZero() ? null : callTimeout);
        }
        if (resetCooldown != null) {
            b.resetCooldown(resetCooldown);
        }
        if (openWait != null) {
            b.openWait(openWait);
        }
        if (maxOpenWait != null) {
            b.maxOpenWait(maxOpenWait);
        }
        if (backoffMultiplier != null) {
            b.backoffMultiplier(backoffMultiplier);
        }
        if (successThreshold != null) {
            b.successThreshold(successThreshold);
        }
        if (trialCalls != null) {
            b.trialCalls(trialCalls);
        }
        if (latencySampleEvery != null) {
            b.latencySampleEvery(latencySampleEvery);
        }
        return b.build();
    }

    public Preset getPreset() { return preset; }

    public void setPreset(Preset preset) { this.preset = preset; }

    public RecoveryPolicy getRecoveryPolicy() { return recoveryPolicy; }

    public void setRecoveryPolicy(RecoveryPolicy recoveryPolicy) { this.recoveryPolicy = recoveryPolicy; }

    public Double getFailureThreshold() { return failureThreshold; }

    public void setFailureThreshold(Double failureThreshold) { this.failureThreshold = failureThreshold; }

    public Duration getFailureWindow() { return failureWindow; }

    public void setFailureWindow(Duration failureWindow) { this.failureWindow = failureWindow; }

    public Double getFailureWeight() { return failureWeight; }

    public void setFailureWeight(Double failureWeight) { this.failureWeight = failureWeight; }

    public Double getTimeoutWeight() { return timeoutWeight; }

    public void setTimeoutWeight(Double timeoutWeight) { this.timeoutWeight = timeoutWeight; }

    public Boolean getSuccessResetsFailures() { return successResetsFailures; }

    public void setSuccessResetsFailures(Boolean value) { this.successResetsFailures = value; }

    public Double getFailureRateThreshold() { return failureRateThreshold; }

    public void setFailureRateThreshold(Double value) { this.failureRateThreshold = value; }

    public Integer getMinimumCalls() { return minimumCalls; }

    public void setMinimumCalls(Integer minimumCalls) { this.minimumCalls = minimumCalls; }

    public Duration getSlowCallThreshold() { return slowCallThreshold; }

    public void setSlowCallThreshold(Duration value) { this.slowCallThreshold = value; }

    public Double getSlowCallRateThreshold() { return slowCallRateThreshold; }

    public void setSlowCallRateThreshold(Double value) { this.slowCallRateThreshold = value; }

    public Duration getCallTimeout() { return callTimeout; }

    public void setCallTimeout(Duration callTimeout) { this.callTimeout = callTimeout; }

    public Duration getResetCooldown() { return resetCooldown; }

    public void setResetCooldown(Duration resetCooldown) { this.resetCooldown = resetCooldown; }

    public Duration getOpenWait() { return openWait; }

    public void setOpenWait(Duration openWait) { this.openWait = openWait; }

    public Duration getMaxOpenWait() { return maxOpenWait; }

    public void setMaxOpenWait(Duration maxOpenWait) { this.maxOpenWait = maxOpenWait; }

    public Double getBackoffMultiplier() { return backoffMultiplier; }

    public void setBackoffMultiplier(Double backoffMultiplier) { this.backoffMultiplier = backoffMultiplier; }

    public Integer getSuccessThreshold() { return successThreshold; }

    public void setSuccessThreshold(Integer successThreshold) { this.successThreshold = successThreshold; }

    public Integer getTrialCalls() { return trialCalls; }

    public void setTrialCalls(Integer trialCalls) { this.trialCalls = trialCalls; }

    public Integer getLatencySampleEvery() { return latencySampleEvery; }

    public void setLatencySampleEvery(Integer value) { this.latencySampleEvery = value; }
}
