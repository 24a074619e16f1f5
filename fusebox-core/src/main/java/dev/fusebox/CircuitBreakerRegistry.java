package dev.fusebox;

import dev.fusebox.event.BreakerListener;
import dev.fusebox.event.RegistryListener;
import dev.fusebox.internal.BreakerCore;
import dev.fusebox.internal.BreakerLog;
import dev.fusebox.internal.BreakerSnapshots;
import dev.fusebox.internal.Checks;
import dev.fusebox.internal.RemoteChanges;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * One breaker per upstream key, created on first use with the configuration of the longest
 * matching preset (exact key first, then key prefix, then the default). Also owns what the
 * breakers share: the clock, load shedding, listeners and the store.
 *
 * <pre>{@code
 * try (CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder().build()) {
 *     Markets markets = registry.call("draftkings", client::markets, DEEP_PROBE);
 * }
 * }</pre>
 *
 * <p>Thread-safe. Build it once per process (or per DI container) and close it on shutdown:
 * closing flushes what is waiting to be written to the store.
 */
public final class CircuitBreakerRegistry implements AutoCloseable {

    /** Longest accepted breaker key. */
    public static final int MAX_KEY_LENGTH = 200;

    private final ConcurrentHashMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<RegistryListener> registryListeners = new CopyOnWriteArrayList<>();
    private final RegistryRuntime runtime;

    CircuitBreakerRegistry(RegistryBuilder builder) {
        this.runtime = new RegistryRuntime(builder, this::cores, this::inFlightCalls);
        for (BreakerSnapshot snapshot : loadStored()) {
            try {
                BreakerSnapshots.restore(breaker(snapshot.key()).core(), snapshot);
            } catch (RuntimeException e) {
                BreakerLog.warn("Ignoring stored state of '" + snapshot.key().replaceAll("\\p{Cntrl}", "?") + "': " + e.getMessage(), e);
            }
        }
        runtime.start();
        try {
            runtime.storeSync().store().subscribe(this::applyRemote);
        } catch (RuntimeException e) {
            BreakerLog.warn("The store cannot tell about changes made by other instances; continuing without", e);
        }
    }

    /** A state change another registry wrote to the shared store. Runs on the store's thread. */
    private void applyRemote(BreakerSnapshot snapshot) {
        try {
            RemoteChanges.apply(breaker(snapshot.key()).core(), snapshot, runtime.shareAutomaticTrips());
        } catch (RuntimeException e) {
            BreakerLog.warn("Ignoring a change of '" + snapshot.key().replaceAll("\\p{Cntrl}", "?")
                    + "' from the store: " + e.getMessage(), e);
        }
    }

    /** A builder with the defaults: no durable store, the system clock, load shedding at 0.85. */
    public static RegistryBuilder builder() {
        return new RegistryBuilder();
    }

    /**
     * The breaker for {@code key}, created on first use.
     *
     * @param key 1 to 200 characters, no control characters
     * @throws IllegalArgumentException for an invalid key
     */
    public CircuitBreaker breaker(String key) {
        CircuitBreaker existing = breakers.get(Objects.requireNonNull(key, "key"));
        if (existing != null) {
            return existing;
        }
        Checks.key(key);
        boolean[] created = new boolean[1];
        CircuitBreaker breaker = breakers.computeIfAbsent(key, k -> {
            created[0] = true;
            return new CircuitBreaker(new BreakerCore(k, runtime.configFor(k), runtime.shared()));
        });
        if (created[0]) {
            breaker.core().onNewOperation(op -> {
                for (RegistryListener l : registryListeners) {
                    notifyListener(() -> l.onOperationAdded(breaker, op));
                }
            });
            for (RegistryListener l : registryListeners) {
                notifyListener(() -> l.onBreakerAdded(breaker));
            }
        }
        return breaker;
    }

    /** The breaker for {@code key} if it exists. Never creates one. */
    public Optional<CircuitBreaker> find(String key) {
        return key == null ? Optional.empty() : Optional.ofNullable(breakers.get(key));
    }

    /** Every breaker, sorted by key. */
    public List<CircuitBreaker> breakers() {
        List<CircuitBreaker> all = new ArrayList<>(breakers.values());
        all.sort(Comparator.comparing(CircuitBreaker::key));
        return all;
    }

    /**
     * Removes a breaker from this registry (its stored state stays in the store).
     *
     * @return whether it existed
     */
    public boolean remove(String key) {
        CircuitBreaker removed = key == null ? null : breakers.remove(key);
        if (removed != null) {
            for (RegistryListener l : registryListeners) {
                notifyListener(() -> l.onBreakerRemoved(removed));
            }
        }
        return removed != null;
    }

    /** Runs {@code callable} through the breaker for {@code key}. See {@link CircuitBreaker#call(Callable, CallContext)}. */
    public <T> T call(String key, Callable<T> callable, CallContext context) throws Exception {
        return breaker(key).call(callable, context);
    }

    /** Runs an async call through the breaker for {@code key}. See {@link CircuitBreaker#callAsync}. */
    public <T> CompletableFuture<T> callAsync(String key, Supplier<? extends CompletionStage<T>> supplier,
                                              CallContext context) {
        return breaker(key).callAsync(supplier, context);
    }

    /** Trips the breaker for {@code key} (created if new). See {@link CircuitBreaker#trip}. */
    public BreakerStatus trip(String key, String reason, String user) {
        return breaker(key).trip(reason, user);
    }

    /** Resets the breaker for {@code key} (created if new). See {@link CircuitBreaker#reset}. */
    public BreakerStatus reset(String key, String reason, String user, boolean force) {
        return breaker(key).reset(reason, user, force);
    }

    /** Whether the breaker for {@code key} is tripped; false for a key never used. */
    public boolean isTripped(String key) {
        return find(key).map(CircuitBreaker::isTripped).orElse(false);
    }

    /** The status of {@code key}, or empty if no breaker has that key. */
    public Optional<BreakerStatus> status(String key) {
        return find(key).map(CircuitBreaker::status);
    }

    /** The status of every breaker, sorted by key. */
    public List<BreakerStatus> statusAll() {
        return breakers().stream().map(CircuitBreaker::status).toList();
    }

    /**
     * The audit trail from the store, newest first.
     *
     * @param key a key, or null for all
     * @param limit 1 to 10,000
     */
    public List<AuditRecord> audit(String key, int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be in [1, 10000], but was " + limit);
        }
        return runtime.storeSync().store().audit(key, limit);
    }

    /** Adds a listener for breaker events. */
    public void addListener(BreakerListener listener) {
        runtime.shared().listeners().add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a listener; returns whether it was registered. */
    public boolean removeListener(BreakerListener listener) {
        return runtime.shared().listeners().remove(listener);
    }

    /** Adds a listener for breakers added and removed; it is told at once about the existing ones. */
    public void addRegistryListener(RegistryListener listener) {
        registryListeners.add(Objects.requireNonNull(listener, "listener"));
        for (CircuitBreaker b : breakers()) {
            notifyListener(() -> listener.onBreakerAdded(b));
        }
    }

    /** The last sampled system load, 0 to 1. */
    public double currentLoad() {
        return runtime.shared().shedder().load();
    }

    /**
     * Samples the load probe now and returns the new load. The background sampler calls this
     * every {@link RegistryBuilder#loadSampleInterval} ; tests with sampling off call it directly.
     */
    public double sampleLoad() {
        return runtime.shared().shedder().sample();
    }

    /** Protected calls running now, over all breakers. */
    public long inFlightCalls() {
        long sum = 0;
        for (CircuitBreaker b : breakers.values()) {
            sum += b.core().inFlight();
        }
        return sum;
    }

    /** Failed store operations since this registry started. */
    public long storeErrors() {
        return runtime.storeSync().errors();
    }

    /**
     * Whether the last write to the store succeeded. While false, operator actions still take
     * effect in memory but are not durable until the store is back (they are retried); an
     * admin API should say so.
     */
    public boolean storeHealthy() {
        return runtime.storeSync().isHealthy();
    }

    /** Writes waiting for the store: breakers with unwritten changes plus queued audit records. */
    public long pendingStoreWrites() {
        long dirty = breakers.values().stream().filter(b -> b.core().hasUnwrittenChanges()).count();
        return dirty + runtime.storeSync().pendingAuditRecords();
    }

    /** Writes everything waiting for the store, on the calling thread. */
    public void flush() {
        runtime.storeSync().flush();
    }

    /** The clock this registry runs on. */
    public Clock clock() {
        return runtime.shared().clock();
    }

    /** Stops the background work, writes what is pending and closes the store and the executors it created. */
    @Override
    public void close() {
        runtime.close();
    }

    private List<BreakerSnapshot> loadStored() {
        try {
            return runtime.storeSync().store().loadAll();
        } catch (RuntimeException e) {
            BreakerLog.warn("Could not read breaker state from the store; starting with every breaker closed", e);
            return List.of();
        }
    }

    private List<BreakerCore> cores() {
        List<BreakerCore> out = new ArrayList<>(breakers.size());
        for (CircuitBreaker b : breakers.values()) {
            out.add(b.core());
        }
        return out;
    }

    private static void notifyListener(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            BreakerLog.warn("Registry listener failed", e);
        }
    }
}
