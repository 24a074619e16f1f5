package dev.fusebox.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.BreakerConfig;
import dev.fusebox.BreakerStatus;
import dev.fusebox.CircuitBreakerRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two instances, each with its own connections, race an operator's trip against another
 * operator's forced reset hundreds of times, over SQLite and over PostgreSQL. After every round
 * both must show the state of the last change the database committed: never split.
 */
class StoreConvergenceTest {

    private static final int ROUNDS = 300;

    @TempDir
    static Path dir;

    static Stream<String> stores() throws Exception {
        return Stream.of(SqliteFiles.url(dir.resolve("race.db")), PostgresServer.freshDatabase());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void tripsRacingForcedResetsOnTwoInstancesNeverLeaveThemSplit(String url) throws Exception {
        BreakerConfig config = BreakerConfig.builder().resetCooldown(Duration.ZERO).build();
        ExecutorService two = Executors.newFixedThreadPool(2);
        int splits = 0;
        long start = System.nanoTime();
        try (CircuitBreakerRegistry a = registry(url, "instance-a", config);
             CircuitBreakerRegistry b = registry(url, "instance-b", config);
             Connection db = DriverManager.getConnection(url)) {
            for (int i = 0; i < ROUNDS; i++) {
                int round = i;
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<?>> both = new ArrayList<>();
                both.add(two.submit(() -> {
                    together.await();
                    return a.trip("draftkings", "incident " + round, "alice");
                }));
                both.add(two.submit(() -> {
                    together.await();
                    return b.reset("draftkings", "all clear " + round, "bob", true);
                }));
                for (Future<?> f : both) {
                    f.get(30, TimeUnit.SECONDS);
                }
                Row row = row(db);
                // Each instance hears of the other's change through its change feed: wait for it.
                // Parks between looks: a spinning loop would take a core from the feeds it waits for.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < deadline && (version(a) != row.version || version(b) != row.version)) {
                    LockSupport.parkNanos(200_000);
                }
                BreakerStatus onA = a.status("draftkings").orElseThrow();
                BreakerStatus onB = b.status("draftkings").orElseThrow();
                if (!onA.state().name().equals(row.state) || !onB.state().name().equals(row.state)
                        || onA.version() != row.version || onB.version() != row.version) {
                    splits++;
                    if (splits < 4) {
                        System.out.println("SPLIT row=" + row + " a=" + onA.state() + "/" + onA.version() + " b="
                                + onB.state() + "/" + onB.version() + " audit=" + a.audit("draftkings", 4).stream()
                                .map(r -> r.id() + ":" + r.action() + ":" + r.reason()).toList()
                                + " a.trippedAt=" + onA.trippedAt() + " a.lastReset=" + onA.lastResetReason());
                    }
                }
            }
        } finally {
            two.shutdownNow();
        }
        System.out.printf("[MEASURED] %s: %d rounds of trip against forced reset, %d splits, %d ms%n",
                url.startsWith("jdbc:sqlite") ? "SQLite" : "PostgreSQL", ROUNDS, splits,
                (System.nanoTime() - start) / 1_000_000);
        assertThat(splits).isZero();
    }

    private static long version(CircuitBreakerRegistry r) {
        return r.status("draftkings").map(BreakerStatus::version).orElse(-1L);
    }

    private static CircuitBreakerRegistry registry(String url, String instance, BreakerConfig config) {
        return CircuitBreakerRegistry.builder()
                .store(JdbcBreakerStore.builder(url).instanceId(instance).pollInterval(Duration.ofMillis(10)).build())
                .defaultConfig(config)
                .loadSampleInterval(Duration.ZERO)
                .build();
    }

    private record Row(String state, long version) {
    }

    private static Row row(Connection db) throws Exception {
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT state, version FROM circuit_breaker_state WHERE bookmaker = 'draftkings'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Row(rs.getString(1), rs.getLong(2));
        }
    }
}
