package dev.fusebox.spi;

import java.util.List;

/**
 * Where breaker state and the audit trail live beyond one process.
 *
 * <p>The registry never calls a store from the call path of a closed breaker. Operator actions
 * (trip, reset) write their snapshot and audit record synchronously before returning; automatic
 * transitions and failure scores are written behind by one background thread. When a method
 * throws, the registry logs and counts the error, keeps working in memory and retries the write
 * later; a store never makes a protected call fail.
 *
 * <p>Implementations must be thread-safe.
 */
public interface BreakerStore {

    /** Every stored breaker, read once when a registry starts. */
    List<BreakerSnapshot> loadAll();

    /** Inserts or replaces the snapshot for its key. */
    void save(BreakerSnapshot snapshot);

    /** Appends an audit record; returns it with its id. */
    AuditRecord append(AuditRecord record);

    /**
     * The newest audit records first.
     *
     * @param key a breaker key, or null for every key
     * @param limit how many at most, &gt; 0
     */
    List<AuditRecord> audit(String key, int limit);

    /** Releases resources. The default does nothing. */
    default void close() {
    }
}
