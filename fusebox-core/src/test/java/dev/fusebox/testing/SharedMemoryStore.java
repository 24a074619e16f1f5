package dev.fusebox.testing;

import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import dev.fusebox.spi.BreakerStore;
import dev.fusebox.spi.CommitResult;
import dev.fusebox.spi.InMemoryBreakerStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One database shared by several registries, in memory: each {@link #view()} is one registry's
 * connection. A committed state change is delivered to the other views' subscribers on the
 * committing thread, after the store's lock is released, as LISTEN/NOTIFY would deliver it (but
 * at once, so that tests need not wait).
 */
public final class SharedMemoryStore {

    private final InMemoryBreakerStore db = new InMemoryBreakerStore();
    private final List<View> views = new CopyOnWriteArrayList<>();
    private volatile boolean unreachable;

    /** While true, every view's writes fail, as over a network that is down; the data stays. */
    public void unreachable(boolean value) {
        unreachable = value;
    }

    private void failIfUnreachable() {
        if (unreachable) {
            throw new IllegalStateException("connection refused");
        }
    }

    public BreakerStore view() {
        View v = new View();
        views.add(v);
        return v;
    }

    /** A change another instance stored whose notification is late: nobody is told yet. */
    public void commitUnannounced(BreakerSnapshot snapshot, long expectedVersion) {
        db.commit(snapshot, expectedVersion, List.of());
    }

    public BreakerSnapshot row(String key) {
        return db.loadAll().stream().filter(s -> s.key().equals(key)).findFirst().orElse(null);
    }

    private final class View extends ForwardingStore {
        private volatile Consumer<BreakerSnapshot> listener;

        View() {
            super(db);
        }

        @Override
        protected void before(Operation operation) {
            if (operation == Operation.COMMIT || operation == Operation.SAVE_STATS
                    || operation == Operation.APPEND) {
                failIfUnreachable();
            }
        }

        @Override
        public CommitResult commit(BreakerSnapshot snapshot, long expectedVersion, List<AuditRecord> audit) {
            CommitResult result = super.commit(snapshot, expectedVersion, audit);
            if (result.committed()) {
                for (View other : views) {
                    Consumer<BreakerSnapshot> l = other.listener;
                    if (other != this && l != null) {
                        l.accept(snapshot);
                    }
                }
            }
            return result;
        }

        @Override
        public void subscribe(Consumer<BreakerSnapshot> l) {
            listener = l;
        }
    }
}
