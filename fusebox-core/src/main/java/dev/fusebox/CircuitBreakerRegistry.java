package dev.fusebox;

import dev.fusebox.event.BreakerListener;
import dev.fusebox.event.RegistryListener;
import dev.fusebox.internal.BreakerCore;
import dev.fusebox.internal.BreakerLog;
import dev.fusebox.spi.AuditRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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

    private final RegistryRuntime runtime;
    private final BreakerTable table;

    CircuitBreakerRegistry(RegistryBuilder builder) {
        this.runtime = new RegistryRuntime(builder, this::cores, this::inFlightCalls);
        Capacity capacity = new Capacity(builder.maxBreakers, builder.idleTimeout, builder.clock);
        this.table = new BreakerTable(runtime, capacity);
        table.load(builder.whenStateUnreadable, builder.idleTimeout);
        runtime.start(this::checkStore);
        if (!builder.idleTimeout.isZero()) {
            runtime.every(capacity.sweepInterval(), table::sweep);
        }
        try {
            runtime.storeSync().store().subscribe(table::applyRemote);
        } catch (RuntimeException e) {
            BreakerLog.warn("The store cannot tell about changes made by other instances; continuing without", e);
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
        return table.getOrCreate(Objects.requireNonNull(key, "key"));
    }

    /** The breaker for {@code key} if it exists. Never creates one. */
    public Optional<CircuitBreaker> find(String key) {
        return Optional.ofNullable(table.find(key));
    }

    /** Every breaker, sorted by key. */
    public List<CircuitBreaker> breakers() {
        List<CircuitBreaker> all = new ArrayList<>(table.all());
        all.sort(Comparator.comparing(CircuitBreaker::key));
        return all;
    }

    /**
     * Removes a breaker from this registry. What it has not written to the store yet is still
     * written. A tripped breaker's trip is kept (and follows the store): the breaker made again
     * for the key starts tripped, as it is in the store and on every other instance.
     *
     * @return whether it existed
     */
    public boolean remove(String key) {
        return table.remove(key);
    }

    /**
     * Runs {@code callable} through the breaker for {@code key}, created on first use within
     * {@link RegistryBuilder#maxBreakers}; when the registry is full and no breaker may be dropped,
     * the call runs without a breaker (counted in {@link #capacity()}). See
     * {@link CircuitBreaker#call(Callable, CallContext)}.
     *
     * @throws IllegalArgumentException for an invalid key (see {@link Checks#key}); nothing ran
     */
    public <T> T call(String key, Callable<T> callable, CallContext context) throws Exception {
        CircuitBreaker b = table.forCall(Objects.requireNonNull(key, "key"));
        return b != null ? b.call(callable, context) : table.capacity().overflowCall(key, callable);
    }

    /**
     * Runs an async call through the breaker for {@code key}, like {@link #call}. See
     * {@link CircuitBreaker#callAsync}.
     */
    public <T> CompletableFuture<T> callAsync(String key, Supplier<? extends CompletionStage<T>> supplier,
                                              CallContext context) {
        CircuitBreaker b = table.forCall(Objects.requireNonNull(key, "key"));
        return b != null ? b.callAsync(supplier, context) : table.capacity().overflowCallAsync(key, supplier);
    }

    /** How full the registry is: breakers against the bound, evictions, calls run without a breaker. */
    public RegistryCapacity capacity() {
        return table.capacity().snapshot();
    }

    /**
     * Trips the breaker for {@code key} (created if new). See {@link CircuitBreaker#trip}. Bad input
     * is refused before a breaker is made; a breaker made for a trip the store then refused stays,
     * closed, until the idle timeout drops it (removing it could drop calls that began meanwhile).
     */
    public ActionResult trip(String key, String reason, String user) {
        Validation.reason(reason);
        Validation.user(user);
        return breaker(key).trip(reason, user);
    }

    /** Resets the breaker for {@code key} (created if new), as {@link #trip} does. See {@link CircuitBreaker#reset}. */
    public ActionResult reset(String key, String reason, String user, boolean force) {
        Validation.reason(reason);
        Validation.user(user);
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
        table.events().add(Objects.requireNonNull(listener, "listener"), table.all());
    }

    /** Removes a listener added with {@link #addRegistryListener}; returns whether it was there. */
    public boolean removeRegistryListener(RegistryListener listener) {
        return table.events().remove(listener);
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
        return table.inFlightCalls();
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
        if (table.stateUnread()) {
            table.loadAgain();
        }
        runtime.storeSync().check();
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

    /** The breakers by key, for this package's tests. */
    BreakerTable table() {
        return table;
    }

    private List<BreakerCore> cores() {
        return table.cores();
    }
}
