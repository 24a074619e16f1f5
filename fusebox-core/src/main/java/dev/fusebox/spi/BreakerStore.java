package dev.fusebox.spi;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where breaker state and the audit trail live beyond one process.
 *
 * <p>The registry never calls a store from the call path of a closed breaker. How it uses one:
 * <ul>
 *   <li>At start, {@link #loadAll()}. A store that cannot be read makes the registry fail closed
 *       (see {@link dev.fusebox.RegistryBuilder#whenStateUnreadable}), so throw rather than answer
 *       with less than is stored.
 *   <li>Operator actions (trip, reset, denied reset) are committed, state and audit record in one
 *       transaction, before they take effect; when the store throws, nothing changes and the
 *       operator is told.
 *   <li>Automatic transitions (trips, re-opens, recoveries) and their audit records are committed
 *       behind by one background thread, failure scores and latency ({@link #saveStats}) too. A
 *       store that throws is retried later; a store never makes a protected call fail.
 * </ul>
 *
 * <p>Every state change is a compare-and-set on the breaker's {@link BreakerSnapshot#version()}
 * ({@link #commit}), so instances sharing a store agree on one order of changes: the last one
 * committed is the state everywhere.
 *
 * <p>Implementations must be thread-safe.
 */
public interface BreakerStore extends AutoCloseable {

    /**
     * Every stored breaker, read when a registry starts (and again while it waits for an
     * unreadable store).
     *
     * @throws RuntimeException when the stored state cannot be read completely
     */
    List<BreakerSnapshot> loadAll();

    /**
     * Writes a state change and its audit records in one transaction, if the breaker's stored
     * version is still {@code expectedVersion}; otherwise writes nothing and answers the stored
     * snapshot. A key without a row has version 0.
     *
     * @param snapshot the new state, with {@link BreakerSnapshot#version()} = {@code expectedVersion + 1}
     * @param expectedVersion the version the change was based on
     * @param audit records to append with it, in order (may be empty)
     * @return the committed audit records (with their ids), or the conflict
     * @throws RuntimeException when the store cannot commit; then nothing was written
     */
    CommitResult commit(BreakerSnapshot snapshot, long expectedVersion, List<AuditRecord> audit);

    /**
     * Writes only the counting part of the snapshot (failure score, last error and failure time,
     * average latency), leaving the state, the trip and the version as they are, so that counts
     * never overwrite a state change. If the key has no row yet, inserts the snapshot with version 0.
     *
     * @throws RuntimeException when the store cannot write; then nothing was written
     */
    void saveStats(BreakerSnapshot snapshot);

    /**
     * Appends audit records, in order, in one transaction.
     *
     * @return the records with their ids
     * @throws RuntimeException when the store cannot write; then nothing was written
     */
    List<AuditRecord> append(List<AuditRecord> records);

    /**
     * The newest audit records first.
     *
     * @param key a breaker key, or null for every key
     * @param limit how many at most, &gt; 0
     */
    List<AuditRecord> audit(String key, int limit);

    /**
     * Starts telling {@code listener} about state changes (new versions) written to this store by
     * other registries, on a thread of the store's own, until {@link #close()}. A store shared by
     * several processes implements this; the default has nobody else to hear from and does
     * nothing. Called at most once per store instance.
     */
    default void subscribe(Consumer<BreakerSnapshot> listener) {
    }

    /**
     * Checks that the store answers now, and that its change feed (if any) is connected. Called
     * every few seconds from a background thread, never from the call path; should return within
     * a few seconds. The default does nothing.
     *
     * @param write also make a small write and commit it: the registry asks for one after a write
     *     failed (a full disk, say), to learn when writes work again
     * @throws RuntimeException saying what is wrong
     */
    default void check(boolean write) {
    }

    /** Whether what this store acknowledges survives a restart of the process. Default true. */
    default boolean durable() {
        return true;
    }

    /** Releases resources. The default does nothing. */
    @Override
    default void close() {
    }
}
