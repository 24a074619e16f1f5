package dev.fusebox.internal;

import dev.fusebox.spi.Scheduler;
import java.util.concurrent.ExecutorService;

/**
 * Call timeouts: the scheduler that fires them, and the executor timed calls run on while their
 * caller waits.
 *
 * @param scheduler fires the timeouts
 * @param executor runs timed calls (virtual threads on Java 21 and later, unless configured)
 */
public record Timers(Scheduler scheduler, ExecutorService executor) {
}
