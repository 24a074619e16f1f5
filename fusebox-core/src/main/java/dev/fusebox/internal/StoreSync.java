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
 *   <li>Automatic changes and counts are written behind by one thread ({@link WriteBehind}),
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
    private final boolean shareAutomaticTrips;
    private final Listeners listeners;
    private final StoreWatch watch;
    private final WriteBehind writeBehind;

    public StoreSync(BreakerStore store, Supplier<? extends Collection<BreakerCore>> breakers,
                     boolean shareAutomaticTrips, dev.fusebox.Clock clock, Listeners listeners) {
        this.store = store;
        this.listeners = listeners;
        this.shareAutomaticTrips = shareAutomaticTrips;
        this.watch = new StoreWatch(clock);
        this.writeBehind = new WriteBehind(this, breakers, listeners);
    }

    public BreakerStore store() {
        return store;
    }

    StoreWatch watch() {
        return watch;
    }


    /** What an operator action decided, given the breaker's state: a change, or a denial to record. */
    record Decision(BreakerState next, Transitions.Step step, AuditRecord audit, ResetDeniedException denied) {
    }

    /**
     * Stores an operator's change, then makes it take effect.
     *
     * @param decide the action's decision for a given current state; called again after a conflict
     * @return the result, or null when the breaker has left the registry (nothing was done)
     * @throws StoreUnavailableException when the store does not take it; nothing changed
     * @throws ResetDeniedException when the decision is a denial (its audit record is stored)
     */
    ActionResult operatorAction(BreakerCore core, Function<BreakerState, Decision> decide) {
        try (Listeners.Held events = core.shared.listeners().hold()) {
            return operatorActionHoldingEvents(core, decide);
        }
    }

    private ActionResult operatorActionHoldingEvents(BreakerCore core, Function<BreakerState, Decision> decide) {
        core.storeLock.lock();
        try {
            if (core.retired) {
                return null; // it left the registry: the action goes to the key's breaker
            }
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                BreakerState current = core.current();
                Decision d = decide.apply(current);
                // Automatic changes of this breaker not written yet go first, in the same transaction:
                // the audit trail keeps the order in which things happened.
                List<AuditRecord> earlier = Commits.waiting(core);
                if (d.denied() != null) {
                    withEarlier(core, earlier, d.audit(), "record the denied reset of", store::append);
                    Transitions.denied(core, d.audit().user(), d.step().reason(), d.denied().retryAfterMillis());
                    throw d.denied();
                }
                long base = core.storedVersion;
                BreakerSnapshot next = BreakerSnapshots.afterOperator(core, current, d.next(), d.step(), base + 1)
                        .toBuilder().changeId(Commits.newChangeId()).build();
                CommitResult result = withEarlier(core, earlier, d.audit(),
                        d.step().cause().isReset() ? "store the reset of" : "store the trip of",
                        records -> Commits.commit(store, core, null, next, base, records));
                if (result.committed()) {
                    core.dropStateDirty(); // a local change not written yet is older than this one
                    Transitions.commit(core, current, d.next(), d.step());
                    core.storedVersion = base + 1; // after the state, as in RemoteChanges.adopt
                    List<AuditRecord> written = result.audit();
                    return new ActionResult(BreakerSnapshots.status(core), written.get(written.size() - 1),
                            store.durable());
                }
                BreakerSnapshot stored = result.current();
                rebaseOrAdopt(core, stored);
                if (stored.changeId() == next.changeId()) {
                    // This very action, stored by a try whose answer was lost: it is done, not to be done again.
                    return new ActionResult(BreakerSnapshots.status(core), storedRecord(core, d.audit()),
                            store.durable());
                }
            }
            throw new StoreUnavailableException(core.key, "Not done: " + core.key + " was changed by other instances "
                    + MAX_ATTEMPTS + " times while this action was being stored; try again", null);
        } finally {
            core.storeLock.unlock();
            drainInbox(core);
        }
    }

    /** {@code record} as the store keeps it (with its id), or as it is when the store cannot say. */
    private AuditRecord storedRecord(BreakerCore core, AuditRecord record) {
        try {
            for (AuditRecord r : store.audit(core.key, 20)) {
                if (r.action() == record.action() && r.atMillis() == record.atMillis()
                        && r.user().equals(record.user()) && java.util.Objects.equals(r.reason(), record.reason())) {
                    return r;
                }
            }
        } catch (RuntimeException e) {
            watch.writeFailed("reading an audit record back", e);
        }
        return record;
    }

    /**
     * Runs an operator's write with the breaker's earlier records first. If that fails while there
     * are earlier records, it is tried once with the operator's record alone, so that an earlier
     * record the store keeps refusing never blocks an operator; the earlier records then wait for
     * the writer again. A failure of the operator's own write changes nothing and is reported.
     */
    private <T> T withEarlier(BreakerCore core, List<AuditRecord> earlier, AuditRecord own, String what,
                              Function<List<AuditRecord>, T> write) {
        List<AuditRecord> records = new ArrayList<>(earlier);
        records.add(own);
        try {
            T result = write.apply(records);
            watch.writeSucceeded();
            if (!(result instanceof CommitResult c) || c.committed()) {
                Commits.written(core, earlier);
            }
            return result;
        } catch (RuntimeException withEarlier) {
            if (earlier.isEmpty()) {
                return refused(core, what, withEarlier);
            }
            try {
                return write.apply(List.of(own));
            } catch (RuntimeException alone) {
                return refused(core, what, alone);
            }
        }
    }

    private <T> T refused(BreakerCore core, String what, RuntimeException e) {
        watch.writeFailed("an operator action", e);
        throw Commits.refusal(core, what, e);
    }

    /**
     * After a conflict: adopts the newer stored change, or, when the stored version is older than
     * ours (the row was deleted or the database restored from a backup), starts again from it.
     */
    void rebaseOrAdopt(BreakerCore core, BreakerSnapshot stored) {
        if (Commits.landedEarlier(core, stored, new ArrayList<>())) {
            return;
        }
        if (stored.version() < core.storedVersion) {
            core.storedVersion = stored.version();
            requestFlush();
        } else {
            RemoteChanges.adopt(core, stored, shareAutomaticTrips);
        }
    }

    /** A change another instance stored: applied now, or by whoever holds the breaker's store lock. */
    public void deliver(BreakerCore core, BreakerSnapshot snapshot) {
        core.inbox.accumulateAndGet(snapshot, (held, next) -> held == null || next.version() > held.version() ? next : held);
        drainInbox(core);
    }

    void drainInbox(BreakerCore core) {
        if (core.inbox.get() == null) {
            return;
        }
        try (Listeners.Held events = core.shared.listeners().hold()) {
            drainInboxHoldingEvents(core);
        }
    }

    private void drainInboxHoldingEvents(BreakerCore core) {
        while (core.inbox.get() != null && core.storeLock.tryLock()) {
            try {
                BreakerSnapshot snapshot = core.inbox.getAndSet(null);
                if (snapshot != null && !Commits.landedEarlier(core, snapshot, new ArrayList<>())) {
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
    }

    /** A breaker left the registry: what it has not written yet is still written. */
    public void removed(BreakerCore core) {
        writeBehind.removed(core);
    }

    /** Asks the writer thread to write what is pending; returns at once. */
    public void requestFlush() {
        writeBehind.requestFlush();
    }

    /** Writes everything pending on the calling thread (see {@link WriteBehind#flush}). */
    public void flush() {
        writeBehind.flush();
    }

    /** Whether anything waits to be written. */
    public boolean pending() {
        return writeBehind.pending();
    }

    /** Writes waiting for the store: breakers with unwritten changes plus queued audit records. */
    public long pendingWrites() {
        return writeBehind.pendingWrites();
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
        writeBehind.close();
    }
}
