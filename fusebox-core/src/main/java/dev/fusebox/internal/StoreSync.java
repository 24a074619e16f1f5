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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final ConcurrentLinkedDeque<AuditRecord> pendingAudit = new ConcurrentLinkedDeque<>();
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
                if (d.denied() != null) {
                    write(core.key, "record the denied reset of", () -> store.append(List.of(d.audit())));
                    Transitions.denied(core, d.audit().user(), d.step().reason(), d.denied().retryAfterMillis());
                    throw d.denied();
                }
                long base = core.storedVersion;
                BreakerSnapshot next = BreakerSnapshots.afterOperator(core, current, d.next(), d.step(), base + 1);
                CommitResult result = write(core.key, verb(d), () -> store.commit(next, base, List.of(d.audit())));
                if (result.committed()) {
                    core.dropStateDirty(); // a local change not written yet is older than this one
                    Transitions.commit(core, current, d.next(), d.step());
                    core.storedVersion = base + 1; // after the state, as in RemoteChanges.adopt
                    return new ActionResult(BreakerSnapshots.status(core), result.audit().get(0), store.durable());
                }
                rebaseOrAdopt(core, result.current());
            }
            throw new StoreUnavailableException(core.key, "Not done: " + core.key + " was changed by other instances "
                    + MAX_ATTEMPTS + " times while this action was being stored; try again", null);
        } finally {
            core.storeLock.unlock();
            drainInbox(core);
        }
    }

    /**
     * After a conflict: adopts the newer stored change, or, when the stored version is older than
     * ours (the row was deleted or the database restored from a backup), starts again from it.
     */
    private void rebaseOrAdopt(BreakerCore core, BreakerSnapshot stored) {
        if (stored.version() < core.storedVersion) {
            core.storedVersion = stored.version();
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
    void auditLater(AuditRecord record) {
        pendingAudit.addLast(record);
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
            Map<String, List<AuditRecord>> audit = takeAudit();
            boolean wrote = false;
            try {
                for (BreakerCore core : breakers.get()) {
                    List<AuditRecord> records = audit.getOrDefault(core.key, List.of());
                    if (records.isEmpty() && !core.hasUnwrittenChanges()) {
                        continue;
                    }
                    wrote |= writeBehind(core, records);
                    audit.remove(core.key);
                }
                for (List<AuditRecord> orphans : List.copyOf(audit.values())) {
                    store.append(orphans); // of breakers removed meanwhile
                    audit.remove(orphans.get(0).key());
                    wrote = true;
                }
                if (wrote) {
                    watch.writeSucceeded();
                }
            } catch (RuntimeException e) {
                putBack(audit);
                watch.writeFailed("writing behind", e);
            }
        }
    }

    /** Writes one breaker's pending changes; returns whether anything was written. */
    private boolean writeBehind(BreakerCore core, List<AuditRecord> records) {
        core.storeLock.lock();
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
                    // Another instance stored a change first: ours happened here (its audit record
                    // says so) but gives way to the stored one, as every instance's does.
                    if (!records.isEmpty()) {
                        store.append(records);
                    }
                    rebaseOrAdopt(core, result.current());
                    if (result.current().version() < base) {
                        core.markStateDirty(); // written over the rewound row next time
                    }
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
            throw e;
        } finally {
            core.storeLock.unlock();
            drainInbox(core);
        }
    }

    private Map<String, List<AuditRecord>> takeAudit() {
        Map<String, List<AuditRecord>> byKey = new LinkedHashMap<>();
        AuditRecord next;
        while ((next = pendingAudit.pollFirst()) != null) {
            byKey.computeIfAbsent(next.key(), k -> new ArrayList<>()).add(next);
        }
        return byKey;
    }

    /** Puts records not written back in front of the queue, in their order. */
    private void putBack(Map<String, List<AuditRecord>> notWritten) {
        List<AuditRecord> all = new ArrayList<>();
        notWritten.values().forEach(all::addAll);
        for (int i = all.size() - 1; i >= 0; i--) {
            pendingAudit.addFirst(all.get(i));
        }
    }

    /** Whether anything waits to be written. */
    public boolean pending() {
        if (!pendingAudit.isEmpty()) {
            return true;
        }
        for (BreakerCore breaker : breakers.get()) {
            if (breaker.hasUnwrittenChanges()) {
                return true;
            }
        }
        return false;
    }

    /** Writes waiting for the store: breakers with unwritten changes plus queued audit records. */
    public long pendingWrites() {
        long dirty = 0;
        for (BreakerCore breaker : breakers.get()) {
            if (breaker.hasUnwrittenChanges()) {
                dirty++;
            }
        }
        return dirty + pendingAudit.size();
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
