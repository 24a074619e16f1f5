package dev.fusebox.internal;

import dev.fusebox.event.BreakerEvent.TripCause;

/**
 * What started the current trip. Kept across OPEN -> HALF_OPEN -> OPEN so that the cooldown and
 * the status always refer to the first trip of the episode.
 *
 * @param atMillis wall time of the trip
 * @param by who tripped it
 * @param reason why
 * @param cause how
 * @param latched whether it stays open until an operator resets it (an operator's trip, or any
 *     trip under {@link dev.fusebox.RecoveryPolicy#MANUAL})
 * @param byOperator whether an operator made it, here or on another instance
 */
record TripInfo(long atMillis, String by, String reason, TripCause cause, boolean latched, boolean byOperator) {
}
