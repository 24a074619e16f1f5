package dev.fusebox.internal;

import dev.fusebox.event.Cause;

/**
 * What started the current trip. Kept across OPEN -> HALF_OPEN -> OPEN so that the cooldown and
 * the status always refer to the first trip of the episode.
 *
 * @param at when it tripped; the cooldown is measured from {@code at.nanos()}
 * @param by who tripped it
 * @param reason why
 * @param cause what caused it
 * @param latched whether it stays open until an operator resets it (an operator's trip, any trip
 *     under {@link dev.fusebox.RecoveryPolicy#MANUAL}, or a state that could not be read)
 */
record TripInfo(Stamp at, String by, String reason, Cause cause, boolean latched) {

    boolean byOperator() {
        return cause == Cause.OPERATOR_TRIP;
    }
}
