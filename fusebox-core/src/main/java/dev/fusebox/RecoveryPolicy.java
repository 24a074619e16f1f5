package dev.fusebox;

/** How a tripped breaker closes again. */
public enum RecoveryPolicy {
    /**
     * Once tripped, the breaker stays open until an operator resets it. Nothing in Fusebox ever
     * closes a manually recovered breaker on its own. This is the default: a tripped breaker is
     * the system working correctly, and a human decides when the upstream is healthy again.
     */
    MANUAL,
    /**
     * After an open period (exponential backoff from {@link BreakerConfig#openWait()} up to
     * {@link BreakerConfig#maxOpenWait()}) the breaker lets trial calls through in
     * {@link State#HALF_OPEN}; {@link BreakerConfig#successThreshold()} successes close it, any
     * failure opens it again with a longer wait. Breakers tripped by an operator never recover
     * automatically, whatever the policy.
     */
    AUTOMATIC
}
