package dev.fusebox.internal;

import dev.fusebox.Clock;
import dev.fusebox.spi.Scheduler;
import java.util.concurrent.ExecutorService;

/**
 * What every breaker of one registry shares.
 *
 * @param clock the one time source
 * @param scheduler timers on that clock
 * @param shedder the load shedder
 * @param listeners the event listeners
 * @param store the write path to the store
 * @param timeoutExecutor runs calls that have a timeout
 */
public record Shared(Clock clock, Scheduler scheduler, LoadShedder shedder, Listeners listeners,
                     StoreSync store, ExecutorService timeoutExecutor) {
}
