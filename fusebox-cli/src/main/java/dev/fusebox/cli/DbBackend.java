package dev.fusebox.cli;

import dev.fusebox.BreakerConfig;
import dev.fusebox.BreakerStatus;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.ResetDeniedException;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.store.jdbc.JdbcBreakerStore;
import dev.fusebox.store.jdbc.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Commands straight against a store (a SQLite file or a PostgreSQL URL), through a registry of
 * its own: trips and resets are written and audited exactly as a service would, and a service
 * sharing the store sees them through its change feed.
 */
final class DbBackend implements Views.Backend {

    private final CircuitBreakerRegistry registry;
    private final String user;

    DbBackend(String location, String user) {
        this.user = user;
        JdbcBreakerStore store;
        try {
            store = JdbcBreakerStore.open(location);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.UNREACHABLE, "cannot open the store at " + location + ": "
                    + e.getMessage(), e);
        }
        this.registry = CircuitBreakerRegistry.builder()
                .store(store)
                .loadSampleInterval(Duration.ZERO)
                // The cooldown of a stored breaker is the one the service uses: the default.
                .defaultConfig(BreakerConfig.defaults())
                .build();
        if (registry.storeErrors() > 0) {
            registry.close();
            throw new CliException(CliException.UNREACHABLE, "cannot read the store at " + location);
        }
    }

    @Override
    public List<Views.Status> statusAll() {
        return registry.statusAll().stream().map(DbBackend::view).toList();
    }

    @Override
    public Optional<Views.Status> status(String key) {
        return registry.status(key).map(DbBackend::view);
    }

    @Override
    public Views.Action trip(String key, String reason) {
        BreakerStatus s = registry.trip(key, reason, user);
        return new Views.Action(view(s), durable());
    }

    @Override
    public Views.Action reset(String key, String reason, boolean force) {
        if (registry.find(key).isEmpty()) {
            throw new CliException(CliException.USAGE, "no breaker '" + key + "' in the store");
        }
        try {
            return new Views.Action(view(registry.reset(key, reason, user, force)), durable());
        } catch (ResetDeniedException e) {
            throw new CliException(CliException.RESET_DENIED, e.getMessage());
        }
    }

    @Override
    public List<Views.Audit> audit(String key, int limit) {
        try {
            return registry.audit(key, limit).stream().map(DbBackend::view).toList();
        } catch (StoreException e) {
            throw new CliException(CliException.UNREACHABLE, e.getMessage(), e);
        }
    }

    private boolean durable() {
        registry.flush();
        return registry.storeHealthy() && registry.pendingStoreWrites() == 0;
    }

    @Override
    public void close() {
        registry.close();
    }

    static Views.Status view(BreakerStatus s) {
        return new Views.Status(s.key(), s.state().name(), s.tripped(), s.failures(), s.failureThreshold(),
                s.tripCount(), s.lastError(), s.trippedBy(), s.tripReason(), millis(s.trippedAt()), s.lastResetBy(),
                s.lastResetReason(), millis(s.lastResetAt()), s.avgLatencyMs(), s.calls(), s.rejections(), s.sheds());
    }

    static Views.Audit view(AuditRecord r) {
        return new Views.Audit(r.id(), r.key(), r.action().name(), r.reason(), r.user(), r.atMillis());
    }

    private static long millis(Instant i) {
        return i == null ? 0 : i.toEpochMilli();
    }
}
