package dev.fusebox;

import java.time.Instant;

/**
 * How full a registry is: its breakers against {@link RegistryBuilder#maxBreakers}, the breakers
 * dropped to stay within it or because they were idle, and the calls that ran without a breaker
 * because the registry was full and no breaker could be dropped.
 *
 * @param breakers breakers calls made, in the registry now: at most {@code maxBreakers}
 * @param named breakers made beyond the bound, in the registry now: those the application named
 *     ({@link CircuitBreakerRegistry#breaker}), those an operator tripped or reset, and those
 *     tripped in the store
 * @param maxBreakers the most breakers that calls create
 * @param evicted breakers dropped since start (idle, or to make room for a new key)
 * @param overflow the calls that ran without a breaker
 */
public record RegistryCapacity(int breakers, int named, int maxBreakers, long evicted, Overflow overflow) {

    /**
     * Calls that ran without a breaker because the registry was full.
     *
     * @param calls how many since start
     * @param last when the last of them ran, or null if none did
     */
    public record Overflow(long calls, Instant last) {

        /** Whether one ran within the last minute before {@code now}. */
        public boolean recent(Instant now) {
            return last != null && !last.isBefore(now.minusSeconds(60));
        }
    }

    /** Every breaker in the registry: {@code breakers + named}. */
    public int total() {
        return breakers + named;
    }

    /** Calls that ran without a breaker since start. */
    public long overflowCalls() {
        return overflow.calls();
    }

    /** Whether a call ran without a breaker within the last minute before {@code now}. */
    public boolean overflowing(Instant now) {
        return overflow.recent(now);
    }
}
