package dev.fusebox;

import java.time.Instant;
import java.util.Objects;

/**
 * One failure a breaker counted: part of the evidence of why it tripped
 * ({@link CircuitBreaker#tripEvidence()}).
 *
 * @param at when the call failed
 * @param outcome {@link Outcome#FAILURE} or {@link Outcome#TIMEOUT}
 * @param error the error's message (at most 1,000 characters)
 * @param weight what it added to the failure score
 */
public record RecordedFailure(Instant at, Outcome outcome, String error, double weight) {

    /** Checks the required fields. */
    public RecordedFailure {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(outcome, "outcome");
    }
}
