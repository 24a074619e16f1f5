package dev.fusebox.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A store that keeps everything in this process: the default when no durable store is
 * configured, and the reference for the store contract tests. Thread-safe. The audit trail
 * keeps at most {@code maxAuditRecords} (default 10,000) newest records.
 */
public final class InMemoryBreakerStore implements BreakerStore {

    private final Map<String, BreakerSnapshot> snapshots = new ConcurrentHashMap<>();
    private final List<AuditRecord> audit = new ArrayList<>();
    private final int maxAuditRecords;
    private long nextId = 1;

    public InMemoryBreakerStore() {
        this(10_000);
    }

    /** @param maxAuditRecords 1 or more */
    public InMemoryBreakerStore(int maxAuditRecords) {
        if (maxAuditRecords < 1) {
            throw new IllegalArgumentException("maxAuditRecords must be >= 1, but was " + maxAuditRecords);
        }
        this.maxAuditRecords = maxAuditRecords;
    }

    @Override
    public List<BreakerSnapshot> loadAll() {
        return List.copyOf(snapshots.values());
    }

    @Override
    public void save(BreakerSnapshot snapshot) {
        snapshots.put(snapshot.key(), snapshot);
    }

    @Override
    public synchronized AuditRecord append(AuditRecord record) {
        AuditRecord stored = record.withId(nextId++);
        audit.add(stored);
        if (audit.size() > maxAuditRecords) {
            audit.remove(0);
        }
        return stored;
    }

    @Override
    public synchronized List<AuditRecord> audit(String key, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be > 0, but was " + limit);
        }
        List<AuditRecord> out = new ArrayList<>();
        for (int i = audit.size() - 1; i >= 0 && out.size() < limit; i--) {
            AuditRecord r = audit.get(i);
            if (key == null || key.equals(r.key())) {
                out.add(r);
            }
        }
        return out;
    }
}
