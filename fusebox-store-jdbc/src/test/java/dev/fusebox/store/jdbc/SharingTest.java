package dev.fusebox.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.BreakerListener;
import dev.fusebox.spi.BreakerStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two registries over one real database see each other's trips and resets. The delay from the
 * trip's commit to the other registry's event is measured and printed ([MEASURED] lines); the
 * tests only bound it loosely (10 s), so that a slow machine cannot fail them.
 */
class SharingTest {

    private static final int TRIPS = 200;

    @TempDir
    Path dir;

    @Test
    void registriesOverOneSqliteFileSeeEachOthersTripsAndResets() throws Exception {
        String url = SqliteFiles.url(dir.resolve("circuit_breaker.db"));
        Propagation measured = shareTrips(() -> JdbcBreakerStore.builder(url).build(), 50);
        measured.report("SQLite (data_version polled every 250 ms)");
        assertThat(measured.percentile(100)).isLessThan(10_000);
    }

    @Test
    void registriesOverOnePostgresDatabaseSeeEachOthersTripsAndResets() throws Exception {
        String url = PostgresServer.freshDatabase();
        Propagation measured = shareTrips(() -> JdbcBreakerStore.builder(url).build(), TRIPS);
        measured.report("PostgreSQL (LISTEN/NOTIFY), same JVM");
        assertThat(measured.percentile(100)).isLessThan(10_000);
    }

    /** Trips {@code n} keys one after the other on A and waits for each to reach B; then resets one. */
    private Propagation shareTrips(StoreFactory stores, int n) throws Exception {
        Map<String, CountDownLatch> arrived = new ConcurrentHashMap<>();
        Map<String, Long> arrivedAt = new ConcurrentHashMap<>();
        Propagation measured = new Propagation();
        CountDownLatch closed = new CountDownLatch(1);
        try (CircuitBreakerRegistry a = CircuitBreakerRegistry.builder().store(stores.open()).build();
             CircuitBreakerRegistry b = CircuitBreakerRegistry.builder().store(stores.open())
                     .listener(new BreakerListener() {
                         @Override
                         public void onStateChange(BreakerEvent.StateChanged event) {
                             if (event.to() == dev.fusebox.State.CLOSED) {
                                 closed.countDown();
                             }
                         }

                         @Override
                         public void onTrip(BreakerEvent.Tripped event) {
                             arrivedAt.put(event.key(), System.nanoTime());
                             arrived.computeIfAbsent(event.key(), k -> new CountDownLatch(1)).countDown();
                         }
                     }).build()) {
            for (int i = 0; i < n; i++) {
                String key = "bookmaker-" + i;
                CountDownLatch latch = arrived.computeIfAbsent(key, k -> new CountDownLatch(1));
                long start = System.nanoTime();
                a.trip(key, "maintenance " + i, "alice");
                assertThat(latch.await(10, TimeUnit.SECONDS)).as("trip of %s reached B", key).isTrue();
                measured.add(TimeUnit.NANOSECONDS.toMillis(arrivedAt.get(key) - start));
            }
            assertThat(b.status("bookmaker-0").orElseThrow().trippedBy()).isEqualTo("alice");

            a.reset("bookmaker-0", "cleared", "bob", true);
            assertThat(closed.await(10, TimeUnit.SECONDS)).as("reset reached B").isTrue();
            assertThat(b.isTripped("bookmaker-0")).isFalse();
            assertThat(b.status("bookmaker-0").orElseThrow().lastResetBy()).isEqualTo("bob");
            assertThat(b.audit("bookmaker-0", 10)).as("each action audited once").hasSize(2);
        }
        return measured;
    }

    @FunctionalInterface
    private interface StoreFactory {
        BreakerStore open();
    }
}
