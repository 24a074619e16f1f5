package dev.fusebox.testing;

import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import dev.fusebox.spi.BreakerStore;
import dev.fusebox.spi.CommitResult;
import dev.fusebox.spi.InMemoryBreakerStore;
import java.util.List;

/**
 * A store that passes every operation to an in-memory one after {@link #before}: the place for a
 * test's fault (fail, hang) ahead of the real work. Claims to be durable, as the database it
 * stands for would be.
 */
public abstract class ForwardingStore implements BreakerStore {

    /** The operations of a store, as {@link #before} is told of them. */
    public enum Operation { LOAD, COMMIT, SAVE_STATS, APPEND, AUDIT, CHECK }

    private final InMemoryBreakerStore delegate;

    protected ForwardingStore(InMemoryBreakerStore delegate) {
        this.delegate = delegate;
    }

    /** Runs before each operation; a fault thrown here means the operation did not happen. */
    protected abstract void before(Operation operation);

    /** The store behind: what is really stored. */
    public InMemoryBreakerStore contents() {
        return delegate;
    }

    @Override
    public List<BreakerSnapshot> loadAll() {
        before(Operation.LOAD);
        return delegate.loadAll();
    }

    @Override
    public CommitResult commit(BreakerSnapshot snapshot, long expectedVersion, List<AuditRecord> audit) {
        before(Operation.COMMIT);
        return delegate.commit(snapshot, expectedVersion, audit);
    }

    @Override
    public void saveStats(BreakerSnapshot snapshot) {
        before(Operation.SAVE_STATS);
        delegate.saveStats(snapshot);
    }

    @Override
    public List<AuditRecord> append(List<AuditRecord> records) {
        before(Operation.APPEND);
        return delegate.append(records);
    }

    @Override
    public List<AuditRecord> audit(String key, int limit) {
        before(Operation.AUDIT);
        return delegate.audit(key, limit);
    }

    @Override
    public void check(boolean write) {
        before(Operation.CHECK);
    }
}
