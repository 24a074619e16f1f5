package dev.fusebox;

import java.time.Instant;

/**
 * How full a registry is: its breakers against {@link RegistryBuilder#maxBreakers}, the breakers
 * dropped to stay within it or because they were idle, and the calls that ran without a breaker
 * because the registry was full and no breaker could be dropped.
 *
 * @param breakers breakers in the registry now
 * @param maxBreakers the most breakers that calls create
 * @param evicted breakers dropped since start (idle, or to make room for a new key)
 * @param overflowCalls calls that ran without a breaker since start
 * @param lastOverflow when the last of those ran, or null if none did
 */
public record RegistryCapacity(int breakers, int maxBreakers, long evicted, long overflowCalls, Instant lastOverflow) {

    /** Whether a call ran without a breaker within the last minute before {@code now}. */
    public boolean overflowing(Instant now) {
        return lastOverflow != null && !lastOverflow.isBefore(now.minusSeconds(60));
    }
}
