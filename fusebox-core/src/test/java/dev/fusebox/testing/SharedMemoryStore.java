package dev.fusebox.testing;

import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import dev.fusebox.spi.BreakerStore;
import dev.fusebox.spi.InMemoryBreakerStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One database shared by several registries, in memory: each {@link #view()} is one registry's
 * connection. A full save is delivered at once to the other views' subscribers, as LISTEN/NOTIFY
 * would; a stats save updates only the counting columns of an existing row.
 */
public final class SharedMemoryStore {

    private final Map<String, BreakerSnapshot> rows = new ConcurrentHashMap<>();
    private final InMemoryBreakerStore audit = new InMemoryBreakerStore();
    private final List<View> views = new CopyOnWriteArrayList<>();

    public BreakerStore view() {
        View v = new View();
        views.add(v);
        return v;
    }

    public BreakerSnapshot row(String key) {
        return rows.get(key);
    }

    private final class View implements BreakerStore {
        private volatile Consumer<BreakerSnapshot> listener;

        @Override
        public List<BreakerSnapshot> loadAll() {
            return List.copyOf(rows.values());
        }

        @Override
        public void save(BreakerSnapshot snapshot) {
            rows.put(snapshot.key(), snapshot);
            for (View other : views) {
                Consumer<BreakerSnapshot> l = other.listener;
                if (other != this && l != null) {
                    l.accept(snapshot);
                }
            }
        }

        @Override
        public void saveStats(BreakerSnapshot s) {
            rows.merge(s.key(), s, (old, n) -> new BreakerSnapshot(old.key(), old.state(), n.failureScore(),
                    n.lastError(), n.lastFailureAt(), old.tripCount(), old.trippedAt(), old.trippedBy(),
                    old.tripReason(), old.manualTrip(), old.nextAttemptAt(), old.openLevel(), old.lastResetAt(),
                    old.lastResetBy(), old.lastResetReason(), n.avgLatencyMs(), n.updatedAt(), old.stateChangedAt()));
        }

        @Override
        public AuditRecord append(AuditRecord record) {
            return audit.append(record);
        }

        @Override
        public List<AuditRecord> audit(String key, int limit) {
            return audit.audit(key, limit);
        }

        @Override
        public void subscribe(Consumer<BreakerSnapshot> l) {
            listener = l;
        }
    }
}
