package dev.fusebox.spi;

import dev.fusebox.State;
import java.util.Objects;

/**
 * What a store keeps of one breaker (the seed's {@code circuit_breaker_state} row). Times are
 * wall-clock milliseconds since the epoch; 0 means "never".
 *
 * @param key the breaker key (column {@code bookmaker})
 * @param state the state
 * @param failureScore the weighted failure score when the snapshot was taken
 * @param lastError the last failure message, or null
 * @param lastFailureAt when the last failure happened
 * @param tripCount lifetime trips
 * @param trippedAt when the current trip happened (0 when closed)
 * @param trippedBy who tripped it, or null
 * @param tripReason why, or null
 * @param manualTrip whether an operator tripped it (such a trip never recovers automatically)
 * @param nextAttemptAt automatic recovery: when a trial call is next allowed (0 when none)
 * @param openLevel how many times in a row the breaker re-opened (the backoff exponent)
 * @param lastResetAt when it was last reset
 * @param lastResetBy who last reset it, or null
 * @param lastResetReason why, or null
 * @param avgLatencyMs average latency of sampled successful calls, or -1 when unknown
 * @param updatedAt when the snapshot was taken
 * @param stateChangedAt when the breaker entered its current state: between instances sharing a
 *     store, the newest state change wins
 */
public record BreakerSnapshot(
        String key,
        State state,
        double failureScore,
        String lastError,
        long lastFailureAt,
        long tripCount,
        long trippedAt,
        String trippedBy,
        String tripReason,
        boolean manualTrip,
        long nextAttemptAt,
        int openLevel,
        long lastResetAt,
        String lastResetBy,
        String lastResetReason,
        double avgLatencyMs,
        long updatedAt,
        long stateChangedAt) {

    /** Checks the required fields. */
    public BreakerSnapshot {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(state, "state");
    }
}
