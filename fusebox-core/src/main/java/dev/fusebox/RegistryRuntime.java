package dev.fusebox;

import dev.fusebox.internal.BreakerCore;
import dev.fusebox.internal.BreakerLog;
import dev.fusebox.internal.Listeners;
import dev.fusebox.internal.LoadShedder;
import dev.fusebox.internal.NamedThreadFactory;
import dev.fusebox.internal.Shared;
import dev.fusebox.internal.StoreSync;
import dev.fusebox.internal.Timers;
import dev.fusebox.spi.DaemonScheduler;
import dev.fusebox.spi.InMemoryBreakerStore;
import dev.fusebox.spi.LoadProbe;
import dev.fusebox.spi.Scheduler;
import dev.fusebox.spi.SystemLoadProbe;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** What a registry runs besides its map of breakers: presets, shared parts, background work. */
final class RegistryRuntime {

    /** How often rejections and sheds are logged and latency samples folded into the average. */
    static final Duration MAINTENANCE_INTERVAL = Duration.ofSeconds(1);

    private final BreakerConfig defaults;
    private final Map<String, BreakerConfig> exact;
    private final List<Map.Entry<String, BreakerConfig>> prefixes;
    private final Shared shared;
    private final Supplier<? extends Collection<BreakerCore>> cores;
    private final DaemonScheduler ownTimer;
    /**
     * Load sampling, write-behind and logging run here, apart from the call timeouts: a slow
     * load probe or log handler must never delay a timeout. A scheduler given to the builder
     * (a test's manual clock) runs both, and runs the store checks too.
     */
    private final Scheduler background;
    private final DaemonScheduler ownBackground;
    /** Store checks wait on the store, so they run apart from the background tasks; null with a given scheduler. */
    private final ExecutorService storeChecks;
    private final AtomicBoolean checking = new AtomicBoolean();
    private final boolean ownExecutor;
    private final RegistryBuilder settings;
    private volatile boolean closed;

    RegistryRuntime(RegistryBuilder b, Supplier<? extends Collection<BreakerCore>> cores, LongSupplier inFlight) {
        this.settings = b;
        this.defaults = b.defaults;
        this.exact = Map.copyOf(b.exactPresets);
        this.prefixes = b.prefixPresets.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, BreakerConfig> e) -> e.getKey().length()).reversed())
                .map(e -> Map.entry(e.getKey(), e.getValue()))
                .toList();
        this.cores = cores;
        boolean own = b.scheduler == null;
        this.ownTimer = own ? new DaemonScheduler("fusebox-timer") : null;
        this.ownBackground = own ? new DaemonScheduler("fusebox-background") : null;
        this.background = own ? ownBackground : b.scheduler;
        this.storeChecks = own ? Executors.newSingleThreadExecutor(new NamedThreadFactory("fusebox-store-check")) : null;
        this.ownExecutor = b.timeoutExecutor == null;
        ExecutorService executor = ownExecutor ? timedCallExecutor() : b.timeoutExecutor;
        LoadProbe probe = b.loadProbe != null ? b.loadProbe : new SystemLoadProbe(inFlight, b.inFlightCapacity);
        Listeners listeners = new Listeners();
        b.listeners.forEach(listeners::add);
        StoreSync store = new StoreSync(b.store != null ? b.store : InMemoryBreakerStore.stateOnly(),
                cores, b.shareAutomaticTrips, b.clock, listeners);
        this.shared = new Shared(b.clock, new Timers(own ? ownTimer : b.scheduler, executor),
                new LoadShedder(probe, b.loadShedThreshold, b.heavyCallLoad), listeners, store);
    }

    /**
     * A virtual thread per timed call where the JDK has them (21 and later), so that thousands of
     * timed calls in flight cost no platform thread each; a cached pool of daemon threads on 17.
     * Looked up at run time because the core is compiled for Java 17.
     */
    private static ExecutorService timedCallExecutor() {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            builder = MethodHandles.publicLookup()
                    .findVirtual(ofVirtual, "name", MethodType.methodType(ofVirtual, String.class, long.class))
                    .invoke(builder, "fusebox-call-", 1L);
            ThreadFactory factory = (ThreadFactory) MethodHandles.publicLookup()
                    .findVirtual(Class.forName("java.lang.Thread$Builder"), "factory",
                            MethodType.methodType(ThreadFactory.class))
                    .invoke(builder);
            return (ExecutorService) Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class)
                    .invoke(null, factory);
        } catch (Throwable notAvailable) {
            return Executors.newCachedThreadPool(new NamedThreadFactory("fusebox-call"));
        }
    }

    Shared shared() {
        return shared;
    }

    RegistryBuilder settings() {
        return settings;
    }

    StoreSync storeSync() {
        return shared.store();
    }

    BreakerConfig configFor(String key) {
        BreakerConfig config = exact.get(key);
        if (config != null) {
            return config;
        }
        for (Map.Entry<String, BreakerConfig> e : prefixes) {
            if (key.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return defaults;
    }

    /** Starts the background work: load sampling, write-behind, log summaries, store checks. */
    void start(Runnable storeCheck) {
        if (!settings.loadSampleInterval.isZero()) {
            // The first sample too runs in the background: a probe that blocks must not block build().
            background.schedule(() -> {
                if (!closed) {
                    shared.shedder().sample();
                }
            }, 0);
            every(settings.loadSampleInterval, () -> shared.shedder().sample());
        }
        every(settings.writeBehindInterval, () -> {
            if (storeSync().pending()) {
                storeSync().requestFlush();
            }
        });
        long logIntervalNanos = settings.logSummaryInterval.toNanos();
        every(MAINTENANCE_INTERVAL, () -> {
            for (BreakerCore core : cores.get()) {
                core.maintain(logIntervalNanos);
            }
        });
        if (!settings.storeCheckInterval.isZero()) {
            every(settings.storeCheckInterval, () -> {
                if (storeChecks == null) {
                    storeCheck.run();
                } else if (checking.compareAndSet(false, true)) {
                    storeChecks.execute(() -> {
                        try {
                            storeCheck.run();
                        } finally {
                            checking.set(false);
                        }
                    });
                }
            });
        }
    }

    /** Runs {@code task} every {@code interval} in the background until the registry closes. */
    void every(Duration interval, Runnable task) {
        long nanos = interval.toNanos();
        background.schedule(new Runnable() {
            @Override
            public void run() {
                if (closed) {
                    return;
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    BreakerLog.warn("Background task failed; it runs again next interval", e);
                }
                if (!closed) {
                    background.schedule(this, nanos);
                }
            }
        }, nanos);
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (storeChecks != null) {
            storeChecks.shutdownNow();
        }
        storeSync().close();
        try {
            storeSync().store().close();
        } catch (RuntimeException e) {
            BreakerLog.warn("Closing the store failed", e);
        }
        if (ownTimer != null) {
            ownTimer.close();
            ownBackground.close();
        }
        if (ownExecutor) {
            shared.timers().executor().shutdownNow();
        }
    }
}
