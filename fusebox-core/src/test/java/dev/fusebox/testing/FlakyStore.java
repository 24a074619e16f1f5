package dev.fusebox.testing;

import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import dev.fusebox.spi.BreakerStore;
import dev.fusebox.spi.InMemoryBreakerStore;
import java.util.List;

/** An in-memory store that can be switched to fail every operation, like a database that went away. */
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
        check();
        return delegate.loadAll();
    }

    @Override
    public void save(BreakerSnapshot snapshot) {
        check();
        delegate.save(snapshot);
    }

    @Override
    public AuditRecord append(AuditRecord record) {
        check();
        return delegate.append(record);
    }

    @Override
    public List<AuditRecord> audit(String key, int limit) {
        check();
        return delegate.audit(key, limit);
    }

    private void check() {
        if (down) {
            throw new IllegalStateException("connection refused");
        }
    }
}
