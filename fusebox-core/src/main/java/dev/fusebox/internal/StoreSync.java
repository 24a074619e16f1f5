package dev.fusebox.internal;

import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import dev.fusebox.spi.BreakerStore;
import java.util.Collection;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The only path from breakers to the {@link BreakerStore}.
 *
 * <p>Operator actions write synchronously ({@link #saveNow}, {@link #auditNow}); everything else
 * is written behind by one thread ({@code fusebox-store}). All writes hold one lock and take the
 * breaker's snapshot inside it, so the last write of a key always carries its newest state,
 * whichever thread wrote it. A failed write is counted, logged on the first failure of an
 * outage, and retried on the next flush; breakers never wait for the store.
 */
public final class StoreSync implements AutoCloseable {

    private final BreakerStore store;
    private final Supplier<Collection<BreakerCore>> breakers;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(new NamedThreadFactory("fusebox-store"));
    private final ConcurrentLinkedDeque<AuditRecord> pendingAudit = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    private final Object writeLock = new Object();
    private final LongAdder errors = new LongAdder();
    private long failedSinceHealthy;
    private volatile boolean healthy = true;

    public StoreSync(BreakerStore store, Supplier<Collection<BreakerCore>> breakers) {
        this.store = store;
        this.breakers = breakers;
    }

    public BreakerStore store() {
        return store;
    }

    /** Writes the breaker's snapshot now; on failure leaves it dirty for the writer to retry. */
    public boolean saveNow(BreakerCore breaker) {
        synchronized (writeLock) {
            int taken = breaker.takeDirty() | BreakerCore.STATE_DIRTY;
            try {
                store.save(breaker.snapshot());
                healthy();
                return true;
            } catch (Exception e) {
                breaker.restoreDirty(taken);
                failed("save of " + breaker.key(), e);
                return false;
            }
        }
    }

    /** Appends the record now, after any still pending; on failure queues it for retry. */
    public AuditRecord auditNow(AuditRecord record) {
        synchronized (writeLock) {
            try {
                drainAudit();
                AuditRecord stored = store.append(record);
                healthy();
                return stored;
            } catch (Exception e) {
                pendingAudit.addLast(record);
                failed("audit append", e);
                return record;
            }
        }
    }

    /** Queues the record for the writer thread. */
    public void auditLater(AuditRecord record) {
        pendingAudit.addLast(record);
        requestFlush();
    }

    /** Asks the writer thread to write what is pending; returns at once. */
    public void requestFlush() {
        if (flushQueued.compareAndSet(false, true)) {
            try {
                writer.execute(this::flushQueued);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                flushQueued.set(false);
            }
        }
    }

    /** Writes everything pending on the calling thread. */
    public void flush() {
        synchronized (writeLock) {
            try {
                drainAudit();
                for (BreakerCore breaker : breakers.get()) {
                    int taken = breaker.takeDirty();
                    if (taken == 0) {
                        continue;
                    }
                    try {
                        // A transition writes every column; scores and latency only their own, so
                        // that one instance's counts never overwrite another instance's trip.
                        if ((taken & BreakerCore.STATE_DIRTY) != 0) {
                            store.save(breaker.snapshot());
                        } else {
                            store.saveStats(breaker.snapshot());
                        }
                    } catch (Exception e) {
                        breaker.restoreDirty(taken);
                        throw e;
                    }
                }
                healthy();
            } catch (Exception e) {
                failed("write-behind", e);
            }
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

    /** Failed store operations since start. */
    public long errors() {
        return errors.sum();
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

    private void flushQueued() {
        flushQueued.set(false);
        flush();
    }

    private void drainAudit() {
        AuditRecord next;
        while ((next = pendingAudit.peekFirst()) != null) {
            store.append(next);
            pendingAudit.pollFirst();
        }
    }

    /** Whether the last store operation succeeded. */
    public boolean isHealthy() {
        return healthy;
    }

    /** Audit records waiting to be written. */
    public int pendingAuditRecords() {
        return pendingAudit.size();
    }

    private void healthy() {
        healthy = true;
        if (failedSinceHealthy > 0) {
            BreakerLog.storeRecovered(failedSinceHealthy);
            failedSinceHealthy = 0;
        }
    }

    private void failed(String what, Exception e) {
        healthy = false;
        errors.increment();
        BreakerLog.storeError(what, e, failedSinceHealthy++ == 0);
    }
}
