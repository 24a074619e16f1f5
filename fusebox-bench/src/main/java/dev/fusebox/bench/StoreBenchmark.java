package dev.fusebox.bench;


import dev.fusebox.spi.BreakerSnapshot;
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
 * What one durable write costs: a full state upsert (what an operator's trip or reset commits
 * before it returns) into SQLite in WAL mode, with {@code synchronous=NORMAL} (survives kill -9)
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
    public long store_sqliteUpsert(Sqlite s) {
        long n = ++s.n;
        s.store.save(new BreakerSnapshot("bookmaker-" + (n % 100), dev.fusebox.State.OPEN, 10, "500", n, n, n,
                "alice", "maintenance", true, 0, 0, 0, null, null, 12.5, n, n));
        return n;
    }
}
