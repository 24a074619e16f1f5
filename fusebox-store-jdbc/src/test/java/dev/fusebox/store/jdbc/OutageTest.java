package dev.fusebox.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.CallContext;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.CircuitOpenException;
import dev.fusebox.State;
import dev.fusebox.StoreHealth;
import dev.fusebox.StoreUnavailableException;
import dev.fusebox.spi.AuditAction;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL server stops under load and starts again: no call fails because of it,
 * breakers keep tripping, errors are counted, and the state is written once it is back.
 */
class OutageTest {

    private static final CallContext CALL = CallContext.of("deepProbe", 50);

    @TempDir
    Path dataDir;

    @Test
    void theDatabaseGoingAwayNeverFailsACallAndStateIsWrittenWhenItReturns() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        EmbeddedPostgres pg = start(port);
        String url = pg.getJdbcUrl("postgres", "postgres");
        ExecutorService load = Executors.newFixedThreadPool(4);
        try (CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder()
                .store(JdbcBreakerStore.builder(url).connectTimeout(Duration.ofMillis(500)).build())
                .writeBehindInterval(Duration.ofMillis(100))
                .build()) {
            registry.trip("before", "written while up", "alice");

            pg.close(); // the server is gone

            AtomicLong unexpected = new AtomicLong();
            AtomicLong succeeded = new AtomicLong();
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                workers.add(load.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        try {
                            registry.call("healthy-" + thread, () -> "ok", CALL);
                            succeeded.incrementAndGet();
                        } catch (Exception e) {
                            unexpected.incrementAndGet();
                        }
                    }
                }));
            }
            for (int i = 0; i < 10; i++) {
                try {
                    registry.call("failing", () -> {
                        throw new IllegalStateException("500 Internal Server Error");
                    }, CALL);
                } catch (IllegalStateException expected) {
                    // counted
                }
            }
            assertThatThrownBy(() -> registry.trip("during", "tripped while the database was down", "bob"))
                    .as("an operator action the store cannot take does not happen")
                    .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("Not done");
            registry.checkStore();
            assertThat(registry.storeHealth().status()).isEqualTo(StoreHealth.Status.DOWN);
            for (Future<?> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }

            assertThat(unexpected).as("no call failed because of the store").hasValue(0);
            assertThat(succeeded).hasValue(8_000);
            assertThat(registry.isTripped("failing")).as("breakers trip without the store").isTrue();
            assertThat(registry.isTripped("during")).isFalse();
            assertThat(registry.storeErrors()).isPositive();
            assertThat(registry.breaker("failing").call(() -> (Object) "x", CALL, rejection -> rejection))
                    .isInstanceOf(CircuitOpenException.class);

            pg = start(port); // back, same data, same port
            // The first write after the restart may still meet a connection from before it; the
            // registry retries (here on each flush, in a service every write-behind interval).
            try (JdbcBreakerStore check = JdbcBreakerStore.builder(url).build()) {
                long restarted = System.nanoTime();
                long deadline = restarted + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < deadline && (openKeys(check) < 2
                        || registry.storeHealth().status() != StoreHealth.Status.UP)) {
                    registry.flush();
                    registry.checkStore();
                    TimeUnit.MILLISECONDS.sleep(50); // polling pace: the change feed reconnects with backoff
                }
                System.out.printf("[MEASURED] PostgreSQL restarted: pending writes stored and the store up after %d ms%n",
                        (System.nanoTime() - restarted) / 1_000_000);
                assertThat(registry.storeHealth().status()).isEqualTo(StoreHealth.Status.UP);
                assertThat(check.loadAll()).filteredOn(s -> s.state() == State.OPEN)
                        .extracting(BreakerSnapshot::key).containsExactlyInAnyOrder("before", "failing");
                assertThat(check.audit(null, 100)).extracting(AuditRecord::action).containsExactlyInAnyOrder(
                        AuditAction.TRIP, AuditAction.AUTO_TRIP);
            }
        } finally {
            load.shutdownNow();
            pg.close();
        }
    }

    private static long openKeys(JdbcBreakerStore store) {
        return store.loadAll().stream().filter(s -> s.state() == State.OPEN).count();
    }

    private EmbeddedPostgres start(int port) throws Exception {
        return EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port).start();
    }
}
