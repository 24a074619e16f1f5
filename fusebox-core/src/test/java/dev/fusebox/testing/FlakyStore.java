package dev.fusebox.testing;

import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import dev.fusebox.spi.BreakerStore;
import dev.fusebox.spi.CommitResult;
import dev.fusebox.spi.InMemoryBreakerStore;
import java.util.List;

/**
 * An in-memory store that can be switched to fail every operation, like a database that went
 * away. It claims to be durable, as the database it stands for would be.
 */
public final class FlakyStore implements BreakerStore {

    private final InMemoryBreakerStore delegate = new InMemoryBreakerStore();
    private volatile boolean down;

    public FlakyStore down(boolean value) {
        down = value;
        return this;
    }

    public InMemoryBreakerStore contents() {
        return delegate;
    }

    @Override
    public List<BreakerSnapshot> loadAll() {
        failIfDown();
        return delegate.loadAll();
    }

    @Override
    public CommitResult commit(BreakerSnapshot snapshot, long expectedVersion, List<AuditRecord> audit) {
        failIfDown();
        return delegate.commit(snapshot, expectedVersion, audit);
    }

    @Override
    public void saveStats(BreakerSnapshot snapshot) {
        failIfDown();
        delegate.saveStats(snapshot);
    }

    @Override
    public List<AuditRecord> append(List<AuditRecord> records) {
        failIfDown();
        return delegate.append(records);
    }

    @Override
    public List<AuditRecord> audit(String key, int limit) {
        failIfDown();
        return delegate.audit(key, limit);
    }

    @Override
    public void check(boolean write) {
        failIfDown();
    }

    private void failIfDown() {
        if (down) {
            throw new IllegalStateException("connection refused");
        }
    }
}
