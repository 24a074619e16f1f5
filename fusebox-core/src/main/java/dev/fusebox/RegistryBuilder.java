package dev.fusebox;

import dev.fusebox.event.BreakerListener;
import dev.fusebox.spi.BreakerStore;
import dev.fusebox.spi.InMemoryBreakerStore;
import dev.fusebox.spi.LoadProbe;
import dev.fusebox.spi.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

/**
 * Builds a {@link CircuitBreakerRegistry}. Setters fail fast on invalid values. Not thread-safe.
 */
public final class RegistryBuilder {

    public static final double DEFAULT_LOAD_SHED_THRESHOLD = 0.85;
    public static final int DEFAULT_HEAVY_CALL_LOAD = 100;
    public static final int DEFAULT_IN_FLIGHT_CAPACITY = 1000;
    public static final Duration DEFAULT_LOAD_SAMPLE_INTERVAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_WRITE_BEHIND_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_LOG_SUMMARY_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_STORE_CHECK_INTERVAL = Duration.ofSeconds(2);
    public static final int DEFAULT_MAX_BREAKERS = 10_000;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);

    BreakerConfig defaults = BreakerConfig.defaults();
    final Map<String, BreakerConfig> exactPresets = new LinkedHashMap<>();
    final Map<String, BreakerConfig> prefixPresets = new LinkedHashMap<>();
    Clock clock = Clock.SYSTEM;
    Scheduler scheduler;
    BreakerStore store;
    LoadProbe loadProbe;
    double loadShedThreshold = DEFAULT_LOAD_SHED_THRESHOLD;
    int heavyCallLoad = DEFAULT_HEAVY_CALL_LOAD;
    int inFlightCapacity = DEFAULT_IN_FLIGHT_CAPACITY;
    Duration loadSampleInterval = DEFAULT_LOAD_SAMPLE_INTERVAL;
    Duration writeBehindInterval = DEFAULT_WRITE_BEHIND_INTERVAL;
    Duration logSummaryInterval = DEFAULT_LOG_SUMMARY_INTERVAL;
    ExecutorService timeoutExecutor;
    boolean shareAutomaticTrips = true;
    UnreadableStatePolicy whenStateUnreadable = UnreadableStatePolicy.REFUSE_CALLS;
    Duration storeCheckInterval = DEFAULT_STORE_CHECK_INTERVAL;
    int maxBreakers = DEFAULT_MAX_BREAKERS;
    Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    final List<BreakerListener> listeners = new ArrayList<>();

    RegistryBuilder() {
    }

    /** The config of breakers no preset matches. Default {@link BreakerConfig#defaults()}. */
    public RegistryBuilder defaultConfig(BreakerConfig config) {
        defaults = Objects.requireNonNull(config, "config");
        return this;
    }

    /** The config of the breaker with exactly this key. */
    public RegistryBuilder preset(String key, BreakerConfig config) {
        exactPresets.put(Checks.key(key), Objects.requireNonNull(config, "config"));
        return this;
    }

    /** The config of breakers whose key starts with {@code prefix}; the longest matching prefix wins. */
    public RegistryBuilder prefixPreset(String prefix, BreakerConfig config) {
        prefixPresets.put(Checks.key(prefix), Objects.requireNonNull(config, "config"));
        return this;
    }

    /** The time source. Default {@link Clock#SYSTEM}. */
    public RegistryBuilder clock(Clock value) {
        clock = Objects.requireNonNull(value, "clock");
        return this;
    }

    /** Timers for call timeouts and background work. Default: one daemon thread on the system clock. */
    public RegistryBuilder scheduler(Scheduler value) {
        scheduler = Objects.requireNonNull(value, "scheduler");
        return this;
    }

    /** Where state and audit records are kept. Default an {@link InMemoryBreakerStore}. */
    public RegistryBuilder store(BreakerStore value) {
        store = Objects.requireNonNull(value, "store");
        return this;
    }

    /**
     * Measures system load. Default {@link dev.fusebox.spi.SystemLoadProbe} over this registry's
     * calls in flight and {@link #inFlightCapacity(int)}.
     */
    public RegistryBuilder loadProbe(LoadProbe value) {
        loadProbe = Objects.requireNonNull(value, "loadProbe");
        return this;
    }

    /** @param value load (0 to 1) above which heavy calls are shed; default 0.85 */
    public RegistryBuilder loadShedThreshold(double value) {
        loadShedThreshold = Checks.range("loadShedThreshold", value, 0, 1);
        return this;
    }

    /** @param value estimated load (0 to 1000) above which a call can be shed; default 100 */
    public RegistryBuilder heavyCallLoad(int value) {
        heavyCallLoad = Checks.range("heavyCallLoad", value, 0, CallContext.MAX_LOAD);
        return this;
    }

    /** @param value calls in flight that count as full load for the default probe; default 1000 */
    public RegistryBuilder inFlightCapacity(int value) {
        inFlightCapacity = Checks.range("inFlightCapacity", value, 1, 10_000_000);
        return this;
    }

    /** @param value how often the load is sampled, 10 ms to 1 min, or 0 to sample only on {@link CircuitBreakerRegistry#sampleLoad()}; default 100 ms */
    public RegistryBuilder loadSampleInterval(Duration value) {
        loadSampleInterval = zeroOr("loadSampleInterval", value, Duration.ofMillis(10), Duration.ofMinutes(1));
        return this;
    }

    /** @param value how often failure scores and automatic transitions are written behind, 10 ms to 1 min; default 1 s */
    public RegistryBuilder writeBehindInterval(Duration value) {
        writeBehindInterval = Checks.range("writeBehindInterval", value, Duration.ofMillis(10), Duration.ofMinutes(1));
        return this;
    }

    /**
     * @param value the shortest time between two log lines about rejections (or sheds) of one
     *     breaker, 1 s to 1 h; default 10 s. The first after a quiet interval is logged within a
     *     second; each line counts the calls since the previous one.
     */
    public RegistryBuilder logSummaryInterval(Duration value) {
        logSummaryInterval = Checks.range("logSummaryInterval", value, Duration.ofSeconds(1), Duration.ofHours(1));
        return this;
    }

    /**
     * Runs calls that have a {@link BreakerConfig#callTimeout()} while their caller waits, so that
     * a call that ignores interruption cannot hold its caller past the timeout. Default: a virtual
     * thread per call on Java 21 and later (no platform thread per call), a cached pool of daemon
     * threads on Java 17.
     */
    public RegistryBuilder timeoutExecutor(ExecutorService value) {
        timeoutExecutor = Objects.requireNonNull(value, "timeoutExecutor");
        return this;
    }

    /**
     * With a store shared by several instances: whether a breaker that trips on its own (its
     * failures crossed the threshold) opens the same breaker on every instance. Default true:
     * the instances call the same upstream, so what one sees failing is failing for all, and
     * with {@link RecoveryPolicy#MANUAL} an operator then resets one shared breaker instead of
     * chasing one per instance. Set false when failures are mostly local to an instance (its own
     * network path); operator trips and resets are shared either way.
     */
    public RegistryBuilder shareAutomaticTrips(boolean value) {
        shareAutomaticTrips = value;
        return this;
    }

    /**
     * What to do when the store's state cannot be read at start. Default
     * {@link UnreadableStatePolicy#REFUSE_CALLS}: fail closed, every breaker refusing calls until
     * the state can be read.
     */
    public RegistryBuilder whenStateUnreadable(UnreadableStatePolicy value) {
        whenStateUnreadable = Objects.requireNonNull(value, "whenStateUnreadable");
        return this;
    }

    /**
     * @param value how often the store is checked (its connection, its change feed, and after a
     *     failed write a small write), and an unreadable state read again, 100 ms to 1 min, or 0
     *     to check only on {@link CircuitBreakerRegistry#checkStore()}; default 2 s
     */
    public RegistryBuilder storeCheckInterval(Duration value) {
        storeCheckInterval = zeroOr("storeCheckInterval", value, Duration.ofMillis(100), Duration.ofMinutes(1));
        return this;
    }

    /**
     * The most breakers that calls create: {@code call}, {@code callAsync} and {@code get} on the
     * registry, and the integrations, which take their keys from the outside world (hosts,
     * tenants). Default 10,000; 1 to 10,000,000.
     *
     * <p>A call for a new key at the bound first makes room: the breaker used least recently among
     * those that may go (closed, zero score, no call in flight, nothing waiting for the store, not
     * within its reset cooldown) is dropped. When none may go, the call runs without a breaker: it
     * is never refused for it, and it is counted ({@link CircuitBreakerRegistry#capacity()}),
     * logged once a minute and shown by the admin server's {@code /health}.
     *
     * <p>Breakers that must exist are made beyond the bound: {@link CircuitBreakerRegistry#breaker}
     * (the application names a breaker it holds), operator trips and resets, and tripped breakers
     * read from the store or heard of through its change feed.
     */
    public RegistryBuilder maxBreakers(int value) {
        maxBreakers = Checks.range("maxBreakers", value, 1, 10_000_000);
        return this;
    }

    /**
     * How long a breaker stays in the registry without calls before it is dropped, if it may go
     * (closed, zero score, nothing in flight or waiting for the store, not within its reset
     * cooldown). 1 s to 30 days, or 0 to keep idle breakers; default 1 h. A dropped breaker takes
     * its meters with it; its stored row stays as history, and a later call for its key starts a
     * new, closed breaker. Idleness is checked about every minute (every quarter of the timeout
     * when that is shorter), so a breaker goes between the timeout and a minute or two after it.
     */
    public RegistryBuilder idleTimeout(Duration value) {
        idleTimeout = zeroOr("idleTimeout", value, Duration.ofSeconds(1), Duration.ofDays(30));
        return this;
    }

    /** Adds a listener for breaker events. */
    public RegistryBuilder listener(BreakerListener value) {
        listeners.add(Objects.requireNonNull(value, "listener"));
        return this;
    }

    /**
     * The registry; it reads the store and starts its background work.
     *
     * @throws StoreUnavailableException if the stored state cannot be read and
     *     {@link #whenStateUnreadable} is {@link UnreadableStatePolicy#FAIL_BUILD}
     */
    public CircuitBreakerRegistry build() {
        return new CircuitBreakerRegistry(this);
    }

    private static Duration zeroOr(String name, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, name);
        return value.isZero() ? value : Checks.range(name, value, min, max);
    }
}
