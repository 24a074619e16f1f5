package dev.fusebox;

import dev.fusebox.event.BreakerListener;
import dev.fusebox.event.RegistryListener;
import dev.fusebox.internal.BreakerCore;
import dev.fusebox.internal.BreakerLog;
import dev.fusebox.internal.RemoteChanges;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * <p>At start the registry reads the store's state. If it cannot, it fails closed by default:
 * every breaker refuses calls until the state can be read (see {@link UnreadableStatePolicy}).
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
    /** Why the stored state is unknown, or null once it was read. Guarded by itself for writes. */
    private volatile String stateUnknown;
    private volatile boolean stateUnread;
    private final Object unknownLock = new Object();

    CircuitBreakerRegistry(RegistryBuilder builder) {
        this.runtime = new RegistryRuntime(builder, this::cores, this::inFlightCalls);
        List<BreakerSnapshot> stored;
        try {
            stored = runtime.storeSync().store().loadAll();
        } catch (RuntimeException e) {
            stored = List.of();
            unreadable(builder.whenStateUnreadable, e);
        }
        for (BreakerSnapshot snapshot : stored) {
            restore(snapshot);
        }
        runtime.start(this::checkStore);
        try {
            runtime.storeSync().store().subscribe(this::applyRemote);
        } catch (RuntimeException e) {
            BreakerLog.warn("The store cannot tell about changes made by other instances; continuing without", e);
        }
    }

    private void unreadable(UnreadableStatePolicy policy, RuntimeException e) {
        String why = "the stored state could not be read (" + e.getMessage() + ")";
        switch (policy) {
            case FAIL_BUILD -> {
                runtime.close();
                throw new StoreUnavailableException(null, "Cannot start: " + why, e);
            }
            case START_CLOSED -> BreakerLog.error(why.substring(0, 1).toUpperCase() + why.substring(1)
                    + "; starting with every breaker closed, as configured. Calls may reach upstreams an operator"
                    + " tripped until the state is read.");
            default -> {
                stateUnknown = "state unknown: " + why;
                BreakerLog.error(why.substring(0, 1).toUpperCase() + why.substring(1) + ". Every breaker refuses"
                        + " calls until it can be; the store is read again at every store check.");
            }
        }
        stateUnread = true;
        runtime.storeSync().watchUnreadable(e);
    }

    private void restore(BreakerSnapshot snapshot) {
        try {
            RemoteChanges.restore(breaker(snapshot.key()).core(), snapshot);
        } catch (RuntimeException e) {
            BreakerLog.warn("Ignoring stored state of '" + snapshot.key().replaceAll("\\p{Cntrl}", "?") + "': "
                    + e.getMessage(), e);
        }
    }

    /** A state change another registry wrote to the shared store. Runs on the store's thread. */
    private void applyRemote(BreakerSnapshot snapshot) {
        try {
            CircuitBreaker existing = breakers.get(snapshot.key());
            if (existing == null && !snapshot.state().isTripped()) {
                return; // nothing to take from a closed breaker this instance never used
            }
            CircuitBreaker breaker = existing != null ? existing : breaker(snapshot.key());
            runtime.storeSync().deliver(breaker.core(), snapshot);
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
     * @param key see {@link Checks#key(String)}: 1 to 200 characters that print as themselves
     * @throws IllegalArgumentException for an invalid key
     */
    public CircuitBreaker breaker(String key) {
        CircuitBreaker existing = breakers.get(Objects.requireNonNull(key, "key"));
        if (existing != null) {
            return existing;
        }
        Checks.key(key);
        if (stateUnknown == null) {
            return create(key);
        }
        synchronized (unknownLock) {
            return create(key);
        }
    }

    private CircuitBreaker create(String key) {
        boolean[] created = new boolean[1];
        CircuitBreaker breaker = breakers.computeIfAbsent(key, k -> {
            created[0] = true;
            BreakerCore core = new BreakerCore(k, runtime.configFor(k), runtime.shared());
            String unknown = stateUnknown;
            if (unknown != null) {
                RemoteChanges.unknown(core, unknown); // before anyone can call through it
            }
            return new CircuitBreaker(core);
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
            runtime.storeSync().removed(removed.core());
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
    public ActionResult trip(String key, String reason, String user) {
        return breaker(key).trip(reason, user);
    }

    /** Resets the breaker for {@code key} (created if new). See {@link CircuitBreaker#reset}. */
    public ActionResult reset(String key, String reason, String user, boolean force) {
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
     * @throws StoreUnavailableException when the store cannot be read
     */
    public List<AuditRecord> audit(String key, int limit) {
        Checks.range("limit", limit, 1, 10_000);
        try {
            return runtime.storeSync().store().audit(key, limit);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException(key, "Cannot read the audit trail: " + e.getMessage(), e);
        }
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

    /** The load above which heavy calls are shed. */
    public double loadShedThreshold() {
        return runtime.shared().shedder().threshold();
    }

    /**
     * Samples the load probe now and returns the new load. The background sampler calls this
     * every {@link RegistryBuilder#loadSampleInterval}; tests with sampling off call it directly.
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
     * Whether the store works, from this registry's last writes and checks, answered from memory
     * (it never waits for the store).
     */
    public StoreHealth storeHealth() {
        return runtime.storeSync().health();
    }

    /** Writes waiting for the store: breakers with unwritten changes plus queued audit records. */
    public long pendingStoreWrites() {
        return runtime.storeSync().pendingWrites();
    }

    /** Writes everything waiting for the store, on the calling thread. */
    public void flush() {
        runtime.storeSync().flush();
    }

    /**
     * Checks the store now, as the background check does every
     * {@link RegistryBuilder#storeCheckInterval}: reads the stored state again if it could not be
     * read before, checks the connection and change feed, and retries pending writes. Blocks for as
     * long as the store takes to answer.
     */
    public void checkStore() {
        if (stateUnread) {
            loadAgain();
        }
        runtime.storeSync().check();
    }

    private void loadAgain() {
        List<BreakerSnapshot> stored;
        try {
            stored = runtime.storeSync().store().loadAll();
        } catch (RuntimeException e) {
            runtime.storeSync().watchUnreadable(e);
            return;
        }
        synchronized (unknownLock) {
            stateUnknown = null;
        }
        stateUnread = false;
        Map<String, BreakerSnapshot> byKey = new HashMap<>();
        for (BreakerSnapshot s : stored) {
            byKey.put(s.key(), s);
        }
        for (BreakerSnapshot s : stored) {
            try {
                CircuitBreaker breaker = breakers.get(s.key());
                if (breaker == null) {
                    restore(s);
                } else {
                    RemoteChanges.loaded(breaker.core(), s);
                    runtime.storeSync().deliver(breaker.core(), s);
                }
            } catch (RuntimeException e) {
                BreakerLog.warn("Ignoring stored state of '" + s.key().replaceAll("\\p{Cntrl}", "?") + "'", e);
            }
        }
        for (CircuitBreaker b : breakers.values()) {
            if (!byKey.containsKey(b.key())) {
                RemoteChanges.loaded(b.core(), null);
            }
        }
        runtime.storeSync().watchReadable(stored.size());
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
