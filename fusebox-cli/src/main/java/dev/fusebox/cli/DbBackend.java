package dev.fusebox.cli;

import dev.fusebox.ActionResult;
import dev.fusebox.BreakerConfig;
import dev.fusebox.BreakerStatus;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.ResetDeniedException;
import dev.fusebox.StoreUnavailableException;
import dev.fusebox.UnreadableStatePolicy;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.store.jdbc.JdbcBreakerStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Commands straight against a store (a SQLite file or a PostgreSQL URL), through a registry of
 * its own: trips and resets are stored and audited exactly as a service would, and a service
 * sharing the store sees them through its change feed. A store whose state cannot be read is an
 * error (exit 4), never an empty list.
 */
final class DbBackend implements Backend {

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
        try {
            this.registry = CircuitBreakerRegistry.builder()
                    .store(store)
                    .whenStateUnreadable(UnreadableStatePolicy.FAIL_BUILD)
                    .maxBreakers(10_000_000) // every stored breaker is listed, however many and however old
                    .idleTimeout(Duration.ZERO)
                    .loadSampleInterval(Duration.ZERO)
                    .storeCheckInterval(Duration.ZERO)
                    // The cooldown of a stored breaker is the one the service uses: the default.
                    .defaultConfig(BreakerConfig.defaults())
                    .build();
        } catch (StoreUnavailableException e) {
            throw new CliException(CliException.UNREACHABLE, "cannot read the store at " + location + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public List<BreakerStatus> statusAll() {
        return registry.statusAll();
    }

    @Override
    public Optional<BreakerStatus> status(String key) {
        return registry.status(key);
    }

    @Override
    public ActionResult trip(String key, String reason) {
        try {
            return registry.trip(key, reason, user);
        } catch (StoreUnavailableException e) {
            throw new CliException(CliException.UNREACHABLE, e.getMessage(), e);
        }
    }

    @Override
    public ActionResult reset(String key, String reason, boolean force) {
        if (registry.find(key).isEmpty()) {
            throw new CliException(CliException.USAGE, "no breaker '" + key + "' in the store");
        }
        try {
            return registry.reset(key, reason, user, force);
        } catch (ResetDeniedException e) {
            throw new CliException(CliException.RESET_DENIED, e.getMessage());
        } catch (StoreUnavailableException e) {
            throw new CliException(CliException.UNREACHABLE, e.getMessage(), e);
        }
    }

    @Override
    public List<AuditRecord> audit(String key, int limit) {
        try {
            return registry.audit(key, limit);
        } catch (StoreUnavailableException e) {
            throw new CliException(CliException.UNREACHABLE, e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        registry.close();
    }
}
