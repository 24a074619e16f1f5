package dev.fusebox.event;

import java.util.Objects;

/**
 * Why, by whom and where one state change of a breaker happened.
 *
 * @param cause what caused it
 * @param user who made it: an operator, or {@value #SYSTEM_USER} for what the breaker did on its own
 * @param reason the reason the operator gave, or a description of what the breaker saw
 * @param remote whether another instance sharing the store made it (this one adopted it)
 * @param version one more than the breaker's previous change in this process: orders changes made
 *     on different threads at nearly the same time (see {@link BreakerEvent.StateChanged})
 */
public record Change(Cause cause, String user, String reason, boolean remote, long version) {

    /** The user recorded for what a breaker does on its own. */
    public static final String SYSTEM_USER = "fusebox";

    /** Checks the required fields. */
    public Change {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(reason, "reason");
    }
}
