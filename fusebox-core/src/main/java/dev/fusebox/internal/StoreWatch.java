package dev.fusebox.internal;

import dev.fusebox.Clock;
import dev.fusebox.StoreHealth;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a registry knows of its store's health: whether its last write worked, whether the last
 * check of the connection (and change feed) worked, and whether the stored state could be read.
 * An outage is logged with one line when it starts and one when it ends, not one per failed
 * operation; the stack trace of the first failure goes to the DEBUG level. Thread-safe.
 */
final class StoreWatch {

    private final Clock clock;
    private final LongAdder errors = new LongAdder();
    private String writeProblem;
    private String checkProblem;
    private String unreadable;
    private StoreHealth.Status status = StoreHealth.Status.UP;
    private long sinceMillis;
    private long failuresThisOutage;

    StoreWatch(Clock clock) {
        this.clock = clock;
        this.sinceMillis = clock.wallMillis();
    }

    synchronized void writeSucceeded() {
        writeProblem = null;
        update(null, null);
    }

    synchronized void writeFailed(String what, Exception e) {
        errors.increment();
        failuresThisOutage++;
        writeProblem = what + " failed: " + BreakerLog.describe(e);
        update(writeProblem, e);
    }

    synchronized void checkSucceeded() {
        checkProblem = null;
        update(null, null);
    }

    synchronized void checkFailed(Exception e) {
        errors.increment();
        failuresThisOutage++;
        checkProblem = "check failed: " + BreakerLog.describe(e);
        update(checkProblem, e);
    }

    synchronized void unreadable(Exception e) {
        errors.increment();
        unreadable = "the stored state could not be read: " + BreakerLog.describe(e);
        update(unreadable, e);
    }

    synchronized void readable() {
        unreadable = null;
        update(null, null);
    }

    /** Whether the last write failed: the next check then also tries a write. */
    synchronized boolean writeFailing() {
        return writeProblem != null;
    }

    long errors() {
        return errors.sum();
    }

    synchronized StoreHealth health(long pendingWrites) {
        return new StoreHealth(status, problem(), Instant.ofEpochMilli(sinceMillis), pendingWrites);
    }

    private String problem() {
        return unreadable != null ? unreadable : writeProblem != null ? writeProblem : checkProblem;
    }

    private void update(String newProblem, Exception cause) {
        StoreHealth.Status next = unreadable != null ? StoreHealth.Status.FAILED
                : writeProblem != null || checkProblem != null ? StoreHealth.Status.DOWN
                : StoreHealth.Status.UP;
        if (next == status) {
            return;
        }
        long now = clock.wallMillis();
        if (status == StoreHealth.Status.UP) {
            BreakerLog.storeDown(newProblem != null ? newProblem : problem(), cause);
        } else if (next == StoreHealth.Status.UP) {
            BreakerLog.storeUp(Math.max(0, now - sinceMillis), failuresThisOutage);
            failuresThisOutage = 0;
        }
        status = next;
        sinceMillis = now;
    }
}
