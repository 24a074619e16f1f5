package dev.fusebox.spi;

import java.util.List;
import java.util.function.Consumer;

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

    /** Inserts or replaces the snapshot for its key: a transition or an operator action. */
    void save(BreakerSnapshot snapshot);

    /**
     * Writes only the counting part of the snapshot (failure score, last error and failure time,
     * average latency), leaving the state and trip columns as they are, so that a store shared by
     * several instances never has one instance's counts overwrite another's trip. If the key has
     * no row yet, inserts the whole snapshot. The default calls {@link #save}, which is right for
     * a store used by one registry only.
     */
    default void saveStats(BreakerSnapshot snapshot) {
        save(snapshot);
    }

    /**
     * Starts telling {@code listener} about state changes (trips, resets, recoveries) written to
     * this store by other registries, on a thread of the store's own, until {@link #close()}. A
     * store shared by several processes implements this; the default has nobody else to hear from
     * and does nothing. Called at most once per store instance.
     */
    default void subscribe(Consumer<BreakerSnapshot> listener) {
    }

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
