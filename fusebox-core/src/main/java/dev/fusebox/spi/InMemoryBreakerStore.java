package dev.fusebox.spi;

import dev.fusebox.State;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A store that keeps everything in this process: the default when no durable store is
 * configured, and the reference for the store contract tests. Nothing survives a restart
 * ({@link #durable()} is false). The audit trail keeps at most {@code maxAuditRecords} (default
 * 10,000) newest records. Thread-safe.
 */
public class InMemoryBreakerStore implements BreakerStore {

    private final Map<String, BreakerSnapshot> snapshots = new HashMap<>();
    private final Deque<AuditRecord> audit = new ArrayDeque<>();
    private final int maxAuditRecords;
    private final boolean stateOnly;
    private long nextId = 1;

    public InMemoryBreakerStore() {
        this(10_000);
    }

    /** @param maxAuditRecords 1 or more */
    public InMemoryBreakerStore(int maxAuditRecords) {
        this(maxAuditRecords, false);
    }

    private InMemoryBreakerStore(int maxAuditRecords, boolean stateOnly) {
        if (maxAuditRecords < 1) {
            throw new IllegalArgumentException("maxAuditRecords must be >= 1, but was " + maxAuditRecords);
        }
        this.maxAuditRecords = maxAuditRecords;
        this.stateOnly = stateOnly;
    }

    /**
     * The registry's default when no store is configured: rows only for breakers whose state
     * changed, since counts alone are never read back in memory, and a row per key ever called
     * would grow without bound when keys come from the outside world.
     */
    public static InMemoryBreakerStore stateOnly() {
        return new InMemoryBreakerStore(10_000, true);
    }

    @Override
    public synchronized List<BreakerSnapshot> loadAll() {
        return List.copyOf(snapshots.values());
    }

    @Override
    public synchronized CommitResult commit(BreakerSnapshot snapshot, long expectedVersion, List<AuditRecord> records) {
        BreakerSnapshot stored = snapshots.get(snapshot.key());
        long version = stored == null ? 0 : stored.version();
        if (version != expectedVersion) {
            // A row deleted since: version 0 is what is there to build on.
            return CommitResult.conflict(stored != null ? stored
                    : BreakerSnapshot.builder(snapshot.key(), State.CLOSED).build());
        }
        if (snapshot.version() != expectedVersion + 1) {
            throw new IllegalArgumentException("a change based on version " + expectedVersion + " must have version "
                    + (expectedVersion + 1) + ", but had " + snapshot.version());
        }
        snapshots.put(snapshot.key(), snapshot);
        List<AuditRecord> written = append(records);
        changed(snapshot);
        return CommitResult.committed(written);
    }

    @Override
    public synchronized void saveStats(BreakerSnapshot snapshot) {
        BreakerSnapshot stored = snapshots.get(snapshot.key());
        if (stored == null) {
            if (stateOnly) {
                return;
            }
            snapshots.put(snapshot.key(), snapshot.toBuilder().version(0).build());
            return;
        }
        snapshots.put(snapshot.key(), stored.toBuilder().score(snapshot.failureScore())
                .lastFailure(snapshot.lastError(), snapshot.lastFailureAt()).avgLatencyMs(snapshot.avgLatencyMs())
                .times(snapshot.updatedAt(), stored.stateChangedAt()).build());
    }

    @Override
    public synchronized List<AuditRecord> append(List<AuditRecord> records) {
        List<AuditRecord> written = new ArrayList<>(records.size());
        for (AuditRecord record : records) {
            AuditRecord stored = record.withId(nextId++);
            audit.addLast(stored);
            if (audit.size() > maxAuditRecords) {
                audit.removeFirst();
            }
            written.add(stored);
        }
        return written;
    }

    @Override
    public synchronized List<AuditRecord> audit(String key, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be > 0, but was " + limit);
        }
        List<AuditRecord> out = new ArrayList<>();
        for (Iterator<AuditRecord> it = audit.descendingIterator(); it.hasNext() && out.size() < limit; ) {
            AuditRecord r = it.next();
            if (key == null || key.equals(r.key())) {
                out.add(r);
            }
        }
        return out;
    }

    /** Nothing survives a restart. */
    @Override
    public boolean durable() {
        return false;
    }

    /**
     * Called, holding this store's lock, after a state change was committed: a subclass shared by
     * several registries of one process (in tests) tells the others.
     */
    protected void changed(BreakerSnapshot snapshot) {
    }
}
