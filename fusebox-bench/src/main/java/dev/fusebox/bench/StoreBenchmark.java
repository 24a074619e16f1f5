package dev.fusebox.bench;


import dev.fusebox.spi.AuditAction;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import java.util.List;
import dev.fusebox.store.jdbc.JdbcBreakerStore;
import dev.fusebox.store.jdbc.JdbcStoreBuilder.SqliteSync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * What one durable write costs: a state change with its audit row, in one transaction (what an
 * operator's trip or reset commits before it returns), into SQLite in WAL mode, with {@code synchronous=NORMAL} (survives kill -9)
 * and {@code FULL} (also survives power loss). One thread: the store writes one at a time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class StoreBenchmark {

    @State(Scope.Benchmark)
    public static class Sqlite {
        @Param({"NORMAL", "FULL"})
        public String sync;

        Path dir;
        JdbcBreakerStore store;
        long n;

        @Setup
        public void setUp() throws IOException {
            dir = Files.createTempDirectory("fusebox-store-bench");
            store = JdbcBreakerStore.builder("jdbc:sqlite:" + dir.resolve("bench.db"))
                    .sqliteSync(SqliteSync.valueOf(sync)).build();
        }

        @TearDown
        public void tearDown() throws IOException {
            store.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Benchmark
    public long store_sqliteCommit(Sqlite s) {
        long n = ++s.n;
        s.store.commit(BreakerSnapshot.builder("bookmaker", dev.fusebox.State.OPEN).version(n)
                .cause(dev.fusebox.event.Cause.OPERATOR_TRIP).score(10).lastFailure("500", n).tripCount(n)
                .trip(n, "alice", "maintenance").avgLatencyMs(12.5).times(n, n).build(), n - 1,
                List.of(AuditRecord.of("bookmaker", AuditAction.TRIP, "alice", "maintenance", n)));
        return n;
    }
}
