package dev.fusebox.admin;

import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import dev.fusebox.spi.BreakerStore;
import dev.fusebox.spi.CommitResult;
import dev.fusebox.spi.InMemoryBreakerStore;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A store that hangs like a database during an outage: every write and audit read waits until
 * {@link #recover()} (or 30 s). Loading at start-up works, so that a registry can be built over it.
 */
final class HangingStore implements BreakerStore {

    private final InMemoryBreakerStore memory = new InMemoryBreakerStore();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch recovered = new CountDownLatch(1);

    /** Waits until some thread is stuck in the store. */
    boolean awaitEntered() throws InterruptedException {
        return entered.await(30, TimeUnit.SECONDS);
    }

    void recover() {
        recovered.countDown();
    }

    private void hang() {
        entered.countDown();
        try {
            recovered.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public List<BreakerSnapshot> loadAll() {
        return memory.loadAll();
    }

    @Override
    public CommitResult commit(BreakerSnapshot snapshot, long expectedVersion, List<AuditRecord> audit) {
        hang();
        return memory.commit(snapshot, expectedVersion, audit);
    }

    @Override
    public void saveStats(BreakerSnapshot snapshot) {
        hang();
        memory.saveStats(snapshot);
    }

    @Override
    public List<AuditRecord> append(List<AuditRecord> records) {
        hang();
        return memory.append(records);
    }

    @Override
    public void check(boolean write) {
        hang();
    }

    @Override
    public List<AuditRecord> audit(String key, int limit) {
        hang();
        return memory.audit(key, limit);
    }
}
