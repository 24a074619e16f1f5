package dev.fusebox;

import dev.fusebox.internal.BreakerCore;
import dev.fusebox.internal.Listeners;
import dev.fusebox.internal.LoadShedder;
import dev.fusebox.internal.NamedThreadFactory;
import dev.fusebox.internal.Shared;
import dev.fusebox.internal.StoreSync;
import dev.fusebox.internal.SystemScheduler;
import dev.fusebox.spi.InMemoryBreakerStore;
import dev.fusebox.spi.LoadProbe;
import dev.fusebox.spi.Scheduler;
import dev.fusebox.spi.SystemLoadProbe;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    private final SystemScheduler ownScheduler;
    /**
     * Load sampling, write-behind and logging run here, apart from the call timeouts: a slow
     * load probe or log handler must never delay a timeout. A scheduler given to the builder
     * (a test's manual clock) runs both.
     */
    private final Scheduler background;
    private final SystemScheduler ownBackground;
    private final boolean ownExecutor;
    private final Duration loadSampleInterval;
    private final Duration writeBehindInterval;
    private final Duration logSummaryInterval;
    private final boolean shareAutomaticTrips;
    private volatile boolean closed;

    RegistryRuntime(RegistryBuilder b, Supplier<? extends Collection<BreakerCore>> cores, LongSupplier inFlight) {
        this.defaults = b.defaults;
        this.exact = Map.copyOf(b.exactPresets);
        this.prefixes = b.prefixPresets.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, BreakerConfig> e) -> e.getKey().length()).reversed())
                .map(e -> Map.entry(e.getKey(), e.getValue()))
                .toList();
        this.cores = cores;
        this.ownScheduler = b.scheduler == null ? new SystemScheduler("fusebox-timer") : null;
        Scheduler scheduler = b.scheduler == null ? ownScheduler : b.scheduler;
        this.ownBackground = b.scheduler == null ? new SystemScheduler("fusebox-background") : null;
        this.background = b.scheduler == null ? ownBackground : b.scheduler;
        this.ownExecutor = b.timeoutExecutor == null;
        ExecutorService executor = ownExecutor
                ? Executors.newCachedThreadPool(new NamedThreadFactory("fusebox-call")) : b.timeoutExecutor;
        LoadProbe probe = b.loadProbe != null ? b.loadProbe : new SystemLoadProbe(inFlight, b.inFlightCapacity);
        Listeners listeners = new Listeners();
        b.listeners.forEach(listeners::add);
        StoreSync store = new StoreSync(b.store != null ? b.store : new InMemoryBreakerStore(),
                () -> List.copyOf(cores.get()));
        this.shared = new Shared(b.clock, scheduler, new LoadShedder(probe, b.loadShedThreshold, b.heavyCallLoad),
                listeners, store, executor);
        this.shareAutomaticTrips = b.shareAutomaticTrips;
        this.loadSampleInterval = b.loadSampleInterval;
        this.writeBehindInterval = b.writeBehindInterval;
        this.logSummaryInterval = b.logSummaryInterval;
    }

    Shared shared() {
        return shared;
    }

    boolean shareAutomaticTrips() {
        return shareAutomaticTrips;
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

    /** Starts the background work: load sampling, write-behind, log summaries. */
    void start() {
        if (!loadSampleInterval.isZero()) {
            shared.shedder().sample();
            every(loadSampleInterval, () -> shared.shedder().sample());
        }
        every(writeBehindInterval, () -> {
            if (storeSync().pending()) {
                storeSync().requestFlush();
            }
        });
        long logIntervalNanos = logSummaryInterval.toNanos();
        every(MAINTENANCE_INTERVAL, () -> {
            for (BreakerCore core : cores.get()) {
                core.maintain(logIntervalNanos);
            }
        });
    }

    private void every(Duration interval, Runnable task) {
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
                    dev.fusebox.internal.BreakerLog.warn("Background task failed; it runs again next interval", e);
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
        storeSync().close();
        try {
            storeSync().store().close();
        } catch (RuntimeException e) {
            dev.fusebox.internal.BreakerLog.warn("Closing the store failed", e);
        }
        if (ownScheduler != null) {
            ownScheduler.close();
            ownBackground.close();
        }
        if (ownExecutor) {
            shared.timeoutExecutor().shutdownNow();
        }
    }
}
