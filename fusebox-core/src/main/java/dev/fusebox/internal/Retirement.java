package dev.fusebox.internal;

import dev.fusebox.State;
import dev.fusebox.spi.BreakerSnapshot;

/**
 * When a breaker may leave its registry, and the hand-over that makes it safe while calls run.
 *
 * <p>A breaker may go when nothing would be lost with it: it is closed (its stored state known),
 * its failure score is zero, no call is in flight, no state change or audit record waits for the
 * store, and, if it was ever tripped or reset, it has been closed for at least its reset cooldown.
 * Counts not yet written (a latency average, a last error) do not keep it: with a zero score they
 * are history, and a busy registry must be able to make room. A breaker that is open, half-open, tripped by an
 * operator, refusing calls because the stored state is unknown or inside its cooldown never goes.
 *
 * <p>The hand-over ({@link #retire}): the evicting thread marks the breaker retired, then reads
 * its calls in flight; a call counts itself in flight, then reads the mark
 * ({@link BreakerCore#admit}). Both are volatile, so at least one side sees the other: either the
 * evicting thread sees the call and backs off, or the call sees the mark and goes to the
 * registry's breaker for the key. No call is ever counted by a breaker that has left.
 */
public final class Retirement {

    private Retirement() {
    }

    /** Whether {@code core} may leave its registry now. */
    public static boolean mayGo(BreakerCore core, long nowNanos) {
        BreakerState s = core.current();
        // In flight before the score: a call adds its score, then counts itself finished.
        return s.state == State.CLOSED
                && (s.cause == null || nowNanos - s.since.nanos() >= core.config.resetCooldown().toNanos())
                && core.inFlight() == 0
                && core.stats.score(nowNanos) == 0
                && !core.hasUnwrittenState() && core.writing == 0 && core.pendingAudit.isEmpty()
                && core.inbox.get() == null;
    }

    /**
     * Retires {@code core} if it may go, as one hand-over with the calls that may be starting on
     * it; returns whether it did. The caller then takes it out of the registry.
     */
    public static boolean retire(BreakerCore core, long nowNanos) {
        // Under the store lock: an operator's action or a stored change being applied either
        // finished before (and the breaker may no longer go) or sees the mark and goes elsewhere.
        if (!mayGo(core, nowNanos) || !core.storeLock.tryLock()) {
            return false;
        }
        boolean retired = false;
        try {
            if (core.retired) {
                return false; // removed meanwhile: that is not this eviction's to undo
            }
            core.retired = true;
            // Read after the mark: a call that started before it is seen here.
            retired = mayGo(core, nowNanos);
            if (!retired) {
                core.retired = false;
            }
            return retired;
        } finally {
            core.storeLock.unlock();
            if (!retired) {
                core.shared.store().drainInbox(core); // a change delivered while the lock was held here
            }
        }
    }

    /**
     * Retires {@code core} at once, whatever its state: it is being removed from the registry.
     * Under the store lock, so that an operator action or a stored change in progress finishes
     * first, and no eviction backing off can clear the mark.
     *
     * @return a stored change delivered while this held the lock, before the mark: its deliverer
     *     left it to the lock's holder, and the caller must pass it on to the key's next breaker
     *     (or its kept trip); null when there is none. A change delivered after the mark sees it
     *     and goes there by itself.
     */
    public static BreakerSnapshot removed(BreakerCore core) {
        core.storeLock.lock();
        try {
            core.retired = true;
            return core.inbox.getAndSet(null);
        } finally {
            core.storeLock.unlock();
        }
    }

    /** Whether {@code core} has been retired. */
    public static boolean retired(BreakerCore core) {
        return core.retired;
    }

    /**
     * Looks at {@code core}'s calls for the evicting thread: returns for how long (ns) no call has
     * started on it, counting from the first look that saw its count stand still, or -1 when calls
     * started since the last look. A breaker never looked at before starts being quiet now.
     */
    public static long quietFor(BreakerCore core, long nowNanos) {
        long calls = core.stats.calls.sum();
        if (calls != core.callsSeen) {
            boolean first = core.callsSeen < 0;
            core.callsSeen = calls;
            core.quietSince = nowNanos;
            return first ? 0 : -1;
        }
        return nowNanos - core.quietSince;
    }
}
