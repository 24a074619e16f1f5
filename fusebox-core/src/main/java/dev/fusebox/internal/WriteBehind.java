package dev.fusebox.internal;

import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import dev.fusebox.spi.CommitResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The writer thread ({@code fusebox-store}): writes each breaker's automatic changes, their
 * audit records and its counts behind the calls, with the same compare-and-set as operator
 * actions (see {@link StoreSync}). A change that loses to a newer stored one gives way to it;
 * failed writes stay pending and are retried; audit records are never dropped.
 */
final class WriteBehind {

    private final StoreSync sync;
    /** The registry's breakers; each call makes a new list. */
    private final Supplier<? extends Collection<BreakerCore>> breakers;
    private final Listeners listeners;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(new NamedThreadFactory("fusebox-store"));
    /** Breakers removed from the registry before their changes were written: written like the others. */
    private final Set<BreakerCore> removed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    private final Object flushLock = new Object();

    WriteBehind(StoreSync sync, Supplier<? extends Collection<BreakerCore>> breakers, Listeners listeners) {
        this.sync = sync;
        this.breakers = breakers;
        this.listeners = listeners;
    }

    /** A breaker left the registry: what it has not written yet is still written. */
    void removed(BreakerCore core) {
        if (core.hasUnwrittenChanges() || !core.pendingAudit.isEmpty()) {
            removed.add(core);
            requestFlush();
        }
    }

    /**
     * The breakers with something to write: the registry's (a list made for each call), and
     * removed ones not written out yet.
     */
    private Collection<BreakerCore> writers() {
        Collection<BreakerCore> registered = breakers.get();
        if (removed.isEmpty()) {
            return registered;
        }
        List<BreakerCore> all = new ArrayList<>(registered);
        all.addAll(removed);
        return all;
    }

    /** Asks the writer thread to write what is pending; returns at once. */
    void requestFlush() {
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
    void flush() {
        try (Listeners.Held events = listeners.hold()) {
            flushHoldingEvents();
        }
    }

    private void flushHoldingEvents() {
        synchronized (flushLock) {
            boolean wrote = false;
            RuntimeException failure = null;
            // One breaker the store refuses must not hold back the others: each is tried.
            for (BreakerCore core : writers()) {
                if (core.pendingAudit.isEmpty() && !core.hasUnwrittenChanges()) {
                    continue;
                }
                try {
                    wrote |= writeBehind(core);
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
            removed.removeIf(core -> core.pendingAudit.isEmpty() && !core.hasUnwrittenChanges());
            if (failure != null) {
                sync.watch().writeFailed("writing behind", failure);
            } else if (wrote) {
                sync.watch().writeSucceeded();
            }
        }
    }

    /**
     * Writes one breaker's pending changes, its audit records with its state change in one
     * transaction; returns whether anything was written. What was not written stays pending.
     */
    private boolean writeBehind(BreakerCore core) {
        core.storeLock.lock();
        List<AuditRecord> records = Commits.waiting(core);
        int taken = core.takeDirty();
        core.writing = taken; // still counted as pending while it is being written
        try {
            if (taken == 0 && records.isEmpty()) {
                return false;
            }
            if ((taken & BreakerCore.STATE_DIRTY) != 0) {
                long base = core.storedVersion;
                BreakerState state = core.current();
                BreakerSnapshot change = BreakerSnapshots.of(core, state, base + 1).toBuilder()
                        .changeId(Commits.newChangeId()).build();
                CommitResult result = Commits.commit(sync.store(), core, state, change, base, records);
                if (result.committed()) {
                    core.storedVersion = base + 1;
                    Commits.written(core, records);
                } else if (!Commits.landedEarlier(core, result.current(), records)) {
                    // Another instance stored a change first. Ours happened here (its audit record
                    // says so); it is stored over the row if it is the newer, else it gives way.
                    appendAll(core, records);
                    core.markStateDirty(); // still unwritten: adopt() decides whether it gives way
                    sync.rebaseOrAdopt(core, result.current());
                }
            } else {
                appendAll(core, records);
                if ((taken & BreakerCore.STATS_DIRTY) != 0 && !core.stateUnknown()) {
                    sync.store().saveStats(BreakerSnapshots.of(core, core.current(), core.storedVersion));
                }
            }
            return true;
        } catch (RuntimeException e) {
            core.restoreDirty(taken); // the records are still in the queue
            throw e;
        } finally {
            core.writing = 0;
            core.storeLock.unlock();
            sync.drainInbox(core);
        }
    }

    private void appendAll(BreakerCore core, List<AuditRecord> records) {
        if (!records.isEmpty()) {
            sync.store().append(records);
            Commits.written(core, records);
        }
    }

    /** Whether anything waits to be written. */
    boolean pending() {
        return writers().stream().anyMatch(b -> b.hasUnwrittenChanges() || b.writing != 0 || !b.pendingAudit.isEmpty());
    }

    /** Writes waiting for the store: breakers with unwritten changes plus queued audit records. */
    long pendingWrites() {
        long pending = 0;
        for (BreakerCore breaker : writers()) {
            if (breaker.hasUnwrittenChanges() || breaker.writing != 0) {
                pending++;
            }
            pending += breaker.pendingAudit.size();
        }
        return pending;
    }

    /** Stops the writer thread, then writes what is left on the calling thread. */
    void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
