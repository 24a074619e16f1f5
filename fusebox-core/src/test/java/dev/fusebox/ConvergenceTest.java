package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.spi.BreakerSnapshot;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.SharedMemoryStore;
import dev.fusebox.testing.TestLoad;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Instances sharing a store agree on one order of changes: whatever races, every instance ends on
 * the state of the last change the store committed. (The same race against SQLite and
 * PostgreSQL is in the store module's ConvergenceTest.)
 */
class ConvergenceTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void tripsRacingForcedResetsOnTwoInstancesNeverLeaveThemSplit() throws Exception {
        SharedMemoryStore db = new SharedMemoryStore();
        BreakerConfig config = BreakerConfig.builder().resetCooldown(Duration.ZERO).build();
        ExecutorService two = Executors.newFixedThreadPool(2);
        int splits = 0;
        try (CircuitBreakerRegistry a = Registries.manual(clock, new TestLoad()).defaultConfig(config)
                .store(db.view()).build();
             CircuitBreakerRegistry b = Registries.manual(clock, new TestLoad()).defaultConfig(config)
                     .store(db.view()).build()) {
            for (int round = 0; round < 300; round++) {
                String key = "draftkings";
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<?>> both = new ArrayList<>();
                both.add(two.submit(() -> {
                    together.await();
                    return a.trip(key, "incident", "alice");
                }));
                both.add(two.submit(() -> {
                    together.await();
                    return b.reset(key, "all clear", "bob", true);
                }));
                for (Future<?> f : both) {
                    f.get(10, TimeUnit.SECONDS);
                }
                BreakerSnapshot row = db.row(key);
                BreakerStatus onA = a.status(key).orElseThrow();
                BreakerStatus onB = b.status(key).orElseThrow();
                if (onA.state() != row.state() || onB.state() != row.state() || onA.version() != row.version()
                        || onB.version() != row.version()) {
                    splits++;
                }
            }
        } finally {
            two.shutdownNow();
        }
        assertThat(splits).isZero();
    }
}
