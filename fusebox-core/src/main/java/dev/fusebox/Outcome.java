package dev.fusebox;

/** How the outcome of a call counts towards the breaker. */
public enum Outcome {
    /** The call succeeded: with the default config the failure score goes back to zero. */
    SUCCESS,
    /** A hard failure: weight {@link BreakerConfig#failureWeight()} (default 1.0). */
    FAILURE,
    /** A timeout: weight {@link BreakerConfig#timeoutWeight()} (default 0.5). */
    TIMEOUT,
    /** The error is passed to the caller but does not count for or against the upstream. */
    IGNORED
}
