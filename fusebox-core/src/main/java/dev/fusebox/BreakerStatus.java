package dev.fusebox;

import java.time.Instant;

/**
 * A consistent-enough picture of one breaker at one moment: the seed's {@code BookmakerStatus}
 * fields plus lifetime counters. Counters are read one after the other without a lock, so under
 * traffic they can be a few calls apart from each other.
 *
 * @param key the breaker key (the seed's "bookmaker")
 * @param state the current state
 * @param tripped whether the breaker refuses ordinary traffic ({@code state != CLOSED})
 * @param failures the weighted failure score in the window (the {@code failures_1m} gauge)
 * @param failureThreshold the score that trips the breaker
 * @param failureRate failed calls / calls in the window, or 0 when rate tracking is off
 * @param lastError the message of the last failure, or null
 * @param avgLatencyMs the average latency of sampled successful calls in ms, or null before the first
 * @param lastFailureAt when the last failure happened, or null
 * @param tripCount how many times the breaker tripped (automatically or by an operator)
 * @param trippedAt when the current trip happened, or null when closed
 * @param trippedBy who tripped it ("fusebox" for an automatic trip), or null when closed
 * @param tripReason why it tripped, or null when closed
 * @param nextAttemptAt when an automatic breaker lets a trial call through, or null
 * @param lastResetAt when an operator last reset it, or null
 * @param lastResetBy who last reset it, or null
 * @param lastResetReason why it was last reset, or null
 * @param recoveryPolicy how it recovers
 * @param calls calls that ran (successes, failures, timeouts, ignored errors and calls in flight)
 * @param successes calls that succeeded
 * @param failedCalls calls that failed hard
 * @param timeouts calls that timed out
 * @param rejections calls refused because the breaker was open
 * @param sheds calls refused by load shedding
 * @param slowCalls calls slower than the slow-call threshold (0 when off)
 * @param resets operator resets made through this registry since it started
 */
public record BreakerStatus(
        String key,
        State state,
        boolean tripped,
        double failures,
        double failureThreshold,
        double failureRate,
        String lastError,
        Double avgLatencyMs,
        Instant lastFailureAt,
        long tripCount,
        Instant trippedAt,
        String trippedBy,
        String tripReason,
        Instant nextAttemptAt,
        Instant lastResetAt,
        String lastResetBy,
        String lastResetReason,
        RecoveryPolicy recoveryPolicy,
        long calls,
        long successes,
        long failedCalls,
        long timeouts,
        long rejections,
        long sheds,
        long slowCalls,
        long resets) {
}
