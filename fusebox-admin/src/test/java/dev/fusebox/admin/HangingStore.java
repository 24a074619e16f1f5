package dev.fusebox.admin;

import dev.fusebox.spi.InMemoryBreakerStore;
import dev.fusebox.testing.ForwardingStore;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A store that hangs like a database during an outage: every write and audit read waits until
 * {@link #recover()} (or 30 s); or, made with {@link #auditReadsOnly()}, only the audit reads, as
 * when a large audit table is read slowly. Loading at start-up works, so that a registry can be
 * built over it.
 */
final class HangingStore extends ForwardingStore {

    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch recovered = new CountDownLatch(1);

    private final boolean onlyAudit;

    HangingStore() {
        this(false);
    }

    private HangingStore(boolean onlyAudit) {
        super(new InMemoryBreakerStore());
        this.onlyAudit = onlyAudit;
    }

    static HangingStore auditReadsOnly() {
        return new HangingStore(true);
    }

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
    protected void before(Operation operation) {
        if (onlyAudit ? operation == Operation.AUDIT : operation != Operation.LOAD) {
            hang();
        }
    }
}
