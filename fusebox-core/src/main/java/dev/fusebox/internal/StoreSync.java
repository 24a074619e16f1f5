package dev.fusebox.internal;

import dev.fusebox.ActionResult;
import dev.fusebox.ResetDeniedException;
import dev.fusebox.StoreHealth;
import dev.fusebox.StoreUnavailableException;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import dev.fusebox.spi.BreakerStore;
import dev.fusebox.spi.CommitResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The only path between breakers and the {@link BreakerStore}.
 *
 * <ul>
 *   <li>Operator actions are stored first ({@link #operatorAction}): the change and its audit
 *       record in one transaction, a compare-and-set on the breaker's stored version. Only then
 *       does the change take effect. If another instance changed the breaker first, its change is
 *       adopted and the action decided again on top of it; if the store fails, nothing changes.
 *   <li>Automatic changes and counts are written behind by one thread ({@code fusebox-store}),
 *       with the same compare-and-set; a change that loses to a newer stored one gives way to it.
 *       Failed writes stay pending and are retried; audit records are never dropped.
 *   <li>Changes other instances stored arrive through {@link #deliver}.
 * </ul>
 *
 * Each breaker talks to the store under its own lock ({@link BreakerCore#storeLock}), never
 * taken on the call path.
 */
public final class StoreSync implements AutoCloseable {

    /** How often an operator action is decided again when other instances keep changing the breaker first. */
    static final int MAX_ATTEMPTS = 8;

    private final BreakerStore store;
    private final Supplier<? extends Collection<BreakerCore>> breakers;
    private final boolean shareAutomaticTrips;
    private final StoreWatch watch;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(new NamedThreadFactory("fusebox-store"));
    /** Audit records of breakers removed from the registry before their records were written. */
    private final ConcurrentLinkedDeque<AuditRecord> orphanAudit = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    private final Object flushLock = new Object();

    public StoreSync(BreakerStore store, Supplier<? extends Collection<BreakerCore>> breakers,
                     boolean shareAutomaticTrips, dev.fusebox.Clock clock) {
        this.store = store;
        this.breakers = breakers;
        this.shareAutomaticTrips = shareAutomaticTrips;
        this.watch = new StoreWatch(clock);
    }

    public BreakerStore store() {
        return store;
    }

    StoreWatch watch() {
        return watch;
    }

    boolean shareAutomaticTrips() {
        return shareAutomaticTrips;
    }

    /** What an operator action decided, given the breaker's state: a change, or a denial to record. */
    record Decision(BreakerState next, Transitions.Step step, AuditRecord audit, ResetDeniedException denied) {
    }

    /**
     * Stores an operator's change, then makes it take effect.
     *
     * @param decide the action's decision for a given current state; called again after a conflict
     * @throws StoreUnavailableException when the store does not take it; nothing changed
     * @throws ResetDeniedException when the decision is a denial (its audit record is stored)
     */
    ActionResult operatorAction(BreakerCore core, Function<BreakerState, Decision> decide) {
        core.storeLock.lock();
        try {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                BreakerState current = core.current();
                Decision d = decide.apply(current);
                // Automatic changes of this breaker not written yet go first, in the same transaction:
                // the audit trail keeps the order in which things happened.
                List<AuditRecord> records = takeAudit(core);
                records.add(d.audit());
                if (d.denied() != null) {
                    writeOrPutBack(core, records, "record the denied reset of", () -> store.append(records));
                    Transitions.denied(core, d.audit().user(), d.step().reason(), d.denied().retryAfterMillis());
                    throw d.denied();
                }
                long base = core.storedVersion;
                BreakerSnapshot next = BreakerSnapshots.afterOperator(core, current, d.next(), d.step(), base + 1);
                CommitResult result = writeOrPutBack(core, records, verb(d), () -> store.commit(next, base, records));
                if (result.committed()) {
                    core.dropStateDirty(); // a local change not written yet is older than this one
                    Transitions.commit(core, current, d.next(), d.step());
                    core.storedVersion = base + 1; // after the state, as in RemoteChanges.adopt
                    List<AuditRecord> written = result.audit();
                    return new ActionResult(BreakerSnapshots.status(core), written.get(written.size() - 1),
                            store.durable());
                }
                putBack(core, records.subList(0, records.size() - 1));
                rebaseOrAdopt(core, result.current());
            }
            throw new StoreUnavailableException(core.key, "Not done: " + core.key + " was changed by other instances "
                    + MAX_ATTEMPTS + " times while this action was being stored; try again", null);
        } finally {
            core.storeLock.unlock();
            drainInbox(core);
        }
    }

    /** Runs an operator's write; when it fails, the breaker's automatic records taken for it wait again. */
    private <T> T writeOrPutBack(BreakerCore core, List<AuditRecord> records, String what, Supplier<T> operation) {
        try {
            return write(core.key, what, operation);
        } catch (StoreUnavailableException e) {
            putBack(core, records.subList(0, records.size() - 1));
            throw e;
        }
    }

    /**
     * After a conflict: adopts the newer stored change, or, when the stored version is older than
     * ours (the row was deleted or the database restored from a backup), starts again from it.
     */
    private void rebaseOrAdopt(BreakerCore core, BreakerSnapshot stored) {
        if (stored.version() < core.storedVersion) {
            core.storedVersion = stored.version();
            requestFlush();
        } else {
            RemoteChanges.adopt(core, stored, shareAutomaticTrips);
        }
    }

    private static String verb(Decision d) {
        return d.step().cause().isReset() ? "store the reset of" : "store the trip of";
    }

    private <T> T write(String key, String what, Supplier<T> operation) {
        try {
            T result = operation.get();
            watch.writeSucceeded();
            return result;
        } catch (RuntimeException e) {
            watch.writeFailed("an operator action", e);
            throw new StoreUnavailableException(key, "Not done: could not " + what + " " + key
                    + "; nothing changed: " + BreakerLog.describe(e), e);
        }
    }

    /** A change another instance stored: applied now, or by whoever holds the breaker's store lock. */
    public void deliver(BreakerCore core, BreakerSnapshot snapshot) {
        core.inbox.accumulateAndGet(snapshot, (held, next) -> held == null || next.version() > held.version() ? next : held);
        drainInbox(core);
    }

    private void drainInbox(BreakerCore core) {
        while (core.inbox.get() != null && core.storeLock.tryLock()) {
            try {
                BreakerSnapshot snapshot = core.inbox.getAndSet(null);
                if (snapshot != null) {
                    RemoteChanges.adopt(core, snapshot, shareAutomaticTrips);
                }
            } finally {
                core.storeLock.unlock();
            }
        }
    }

    /** Queues an automatic change's audit record for the writer thread. */
    void auditLater(BreakerCore core, AuditRecord record) {
        core.pendingAudit.addLast(record);
        requestFlush();
    }

    /** A breaker left the registry: its records not written yet are written without it. */
    public void removed(BreakerCore core) {
        core.storeLock.lock();
        try {
            orphanAudit.addAll(takeAudit(core));
        } finally {
            core.storeLock.unlock();
        }
        requestFlush();
    }

    /** Asks the writer thread to write what is pending; returns at once. */
    public void requestFlush() {
        if (flushQueued.compareAndSet(false, true)) {
            try {
                writer.execute(this::flushQueued);
            } catch (RejectedExecutionException closed) {
                flushQueued.set(false);
            }
        }
    }

    private void flushQueued() {
        flushQueued.set(false);
        flush();
    }

    /**
     * Writes everything pending on the calling thread: each breaker's audit records with its
     * state change in one transaction, or its counts. Stops at the first failure; what was not
     * written stays pending, in order.
     */
    public void flush() {
        synchronized (flushLock) {
            boolean wrote = false;
            try {
                for (BreakerCore core : breakers.get()) {
                    if (core.pendingAudit.isEmpty() && !core.hasUnwrittenChanges()) {
                        continue;
                    }
                    wrote |= writeBehind(core);
                }
                List<AuditRecord> orphans = new ArrayList<>(orphanAudit);
                if (!orphans.isEmpty()) {
                    store.append(orphans);
                    orphans.forEach(r -> orphanAudit.removeFirstOccurrence(r));
                    wrote = true;
                }
                if (wrote) {
                    watch.writeSucceeded();
                }
            } catch (RuntimeException e) {
                watch.writeFailed("writing behind", e);
            }
        }
    }

    /**
     * Writes one breaker's pending changes, its audit records with its state change in one
     * transaction; returns whether anything was written. What was not written stays pending.
     */
    private boolean writeBehind(BreakerCore core) {
        core.storeLock.lock();
        List<AuditRecord> records = takeAudit(core);
        int taken = core.takeDirty();
        try {
            if (taken == 0 && records.isEmpty()) {
                return false;
            }
            if ((taken & BreakerCore.STATE_DIRTY) != 0) {
                long base = core.storedVersion;
                CommitResult result = store.commit(BreakerSnapshots.of(core, core.current(), base + 1), base, records);
                if (result.committed()) {
                    core.storedVersion = base + 1;
                } else {
                    // Another instance stored a change first. Ours happened here (its audit record
                    // says so); it is stored over the row if it is the newer, else it gives way.
                    if (!records.isEmpty()) {
                        store.append(records);
                    }
                    core.markStateDirty(); // still unwritten: adopt() decides whether it gives way
                    rebaseOrAdopt(core, result.current());
                }
            } else {
                if (!records.isEmpty()) {
                    store.append(records);
                }
                if ((taken & BreakerCore.STATS_DIRTY) != 0 && !core.stateUnknown()) {
                    store.saveStats(BreakerSnapshots.of(core, core.current(), core.storedVersion));
                }
            }
            return true;
        } catch (RuntimeException e) {
            core.restoreDirty(taken);
            putBack(core, records);
            throw e;
        } finally {
            core.storeLock.unlock();
            drainInbox(core);
        }
    }

    /** The breaker's audit records not written yet, oldest first. Called holding its store lock. */
    private static List<AuditRecord> takeAudit(BreakerCore core) {
        List<AuditRecord> out = new ArrayList<>();
        AuditRecord next;
        while ((next = core.pendingAudit.pollFirst()) != null) {
            out.add(next);
        }
        return out;
    }

    /** Puts records not written back in front of the breaker's queue, in their order. */
    private static void putBack(BreakerCore core, List<AuditRecord> notWritten) {
        for (int i = notWritten.size() - 1; i >= 0; i--) {
            core.pendingAudit.addFirst(notWritten.get(i));
        }
    }

    /** Whether anything waits to be written. */
    public boolean pending() {
        if (!orphanAudit.isEmpty()) {
            return true;
        }
        for (BreakerCore breaker : breakers.get()) {
            if (breaker.hasUnwrittenChanges() || !breaker.pendingAudit.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Writes waiting for the store: breakers with unwritten changes plus queued audit records. */
    public long pendingWrites() {
        long pending = orphanAudit.size();
        for (BreakerCore breaker : breakers.get()) {
            if (breaker.hasUnwrittenChanges()) {
                pending++;
            }
            pending += breaker.pendingAudit.size();
        }
        return pending;
    }

    /** Checks the store now (and makes a small write when the last write failed); records the outcome. */
    public void check() {
        try {
            store.check(watch.writeFailing());
            watch.checkSucceeded();
        } catch (RuntimeException e) {
            watch.checkFailed(e);
        }
        if (pending()) {
            requestFlush();
        }
    }

    /** The stored state could not be read. */
    public void watchUnreadable(RuntimeException e) {
        watch.unreadable(e);
    }

    /** The stored state was read, {@code breakers} rows of it. */
    public void watchReadable(int breakers) {
        watch.readable();
        BreakerLog.warn("The stored state was read (" + breakers + " breakers); breakers follow it from now on", null);
    }

    public StoreHealth health() {
        return watch.health(pendingWrites());
    }

    /** Failed store operations since start. */
    public long errors() {
        return watch.errors();
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
