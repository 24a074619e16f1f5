package dev.fusebox.internal;

import dev.fusebox.Clock;

/**
 * What every breaker of one registry shares.
 *
 * @param clock the one time source
 * @param timers timers on that clock, and where timed calls run
 * @param shedder the load shedder
 * @param listeners the event listeners
 * @param store the way to the store
 */
public record Shared(Clock clock, Timers timers, LoadShedder shedder, Listeners listeners, StoreSync store) {
}
