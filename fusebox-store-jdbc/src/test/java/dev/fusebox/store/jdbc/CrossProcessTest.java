package dev.fusebox.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.CircuitBreakerRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two JVMs over one database: trips made in this one reach a registry in a child JVM. */
class CrossProcessTest {

    @TempDir
    Path dir;

    @Test
    void tripsReachARegistryInAnotherJvmOverPostgres() throws Exception {
        trips(PostgresServer.freshDatabase(), 100, "PostgreSQL (LISTEN/NOTIFY), two JVMs");
    }

    @Test
    void tripsReachARegistryInAnotherJvmOverSqlite() throws Exception {
        trips(SqliteFiles.url(dir.resolve("shared.db")), 20, "SQLite (data_version polling), two JVMs");
    }

    private void trips(String url, int count, String what) throws Exception {
        Process child = StoreChild.start("follow", url);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (Exception ignored) {
                // the child is gone
            }
        });
        reader.setDaemon(true);
        reader.start();
        Propagation measured = new Propagation();
        try (CircuitBreakerRegistry here = CircuitBreakerRegistry.builder()
                .store(JdbcBreakerStore.builder(url).build()).build()) {
            assertThat(next(lines, "READY")).isNotNull();
            Map<String, Long> trippedAt = new ConcurrentHashMap<>();
            for (int i = 0; i < count; i++) {
                String key = "bookmaker-" + i;
                trippedAt.put(key, System.currentTimeMillis());
                here.trip(key, "maintenance", "alice");
                String seen = next(lines, "SEEN " + key + " ");
                assertThat(seen).as("the child saw %s", key).isNotNull();
                measured.add(Long.parseLong(seen.substring(seen.lastIndexOf(' ') + 1)) - trippedAt.get(key));
            }
        } finally {
            child.getOutputStream().close(); // tells the child to stop
            child.waitFor(30, TimeUnit.SECONDS);
            child.destroyForcibly();
        }
        measured.report(what);
        assertThat(measured.count()).isEqualTo(count);
    }

    /** The next line starting with {@code prefix}, skipping others; null after 60 s without one. */
    private static String next(BlockingQueue<String> lines, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
        }
        return null;
    }
}
