package dev.fusebox.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.StoreHealth;
import dev.fusebox.StoreUnavailableException;
import dev.fusebox.spi.AuditAction;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import dev.fusebox.testing.Calls;
import dev.fusebox.testing.LogCapture;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database on a real filesystem that fills up: a 2 MB tmpfs (mounting one needs root, as
 * the CI runs). Every trip acknowledged has its state and audit row stored; every other one is
 * refused with a clear error and leaves nothing behind; automatic changes wait and are written
 * once there is room; the outage is logged once when it starts and once when it ends.
 */
class FullDiskTest {

    @TempDir
    Path dir;

    private Path mount;

    @BeforeEach
    void mountSmallFilesystem() throws Exception {
        mount = Files.createDirectory(dir.resolve("small"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("this test fills a real filesystem and needs to mount a 2 MB tmpfs (as root): " + output.strip());
        }
    }

    @AfterEach
    void unmount() throws Exception {
        new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }

    @Test
    void aFullDiskIsRefusedClearlyAndNothingAcknowledgedIsLost() throws Exception {
        Path file = mount.resolve("circuit_breaker.db");
        Set<String> acknowledged = new HashSet<>();
        Set<String> refused = new HashSet<>();
        try (LogCapture log = new LogCapture();
             CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder().store(JdbcBreakerStore.sqlite(file))
                     .loadSampleInterval(Duration.ZERO).storeCheckInterval(Duration.ZERO).build()) {
            registry.trip("before", "written while there was room", "alice");
            Path filler = fill(mount.resolve("filler"));
            // Room for a few dozen trips, so that the disk fills up in the middle of them.
            try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(filler,
                    java.nio.file.StandardOpenOption.WRITE)) {
                f.truncate(f.size() - 64 * 1024);
            }

            for (int i = 0; i < 300; i++) {
                String key = "bookmaker-" + i;
                try {
                    registry.trip(key, "maintenance " + i, "alice");
                    acknowledged.add(key);
                } catch (StoreUnavailableException e) {
                    assertThat(e.getMessage()).contains("Not done", key);
                    assertThat(registry.isTripped(key)).as("a refused trip does not happen").isFalse();
                    refused.add(key);
                }
            }
            Calls.failTimes(registry.breaker("automatic"), 10); // trips on its own, written behind
            registry.flush();

            assertThat(acknowledged).as("some fitted").isNotEmpty();
            assertThat(refused).as("then the disk was full").isNotEmpty();
            assertThat(registry.storeHealth().status()).isEqualTo(StoreHealth.Status.DOWN);
            assertThat(registry.storeHealth().problem()).containsIgnoringCase("full");
            assertThat(registry.pendingStoreWrites()).as("the automatic trip and its audit row wait").isEqualTo(2);
            assertThat(log.linesContaining("Store unavailable")).as("one line when the outage starts").hasSize(1);

            Files.delete(filler);
            registry.checkStore(); // a small write succeeds again
            registry.flush();

            assertThat(registry.storeHealth().status()).isEqualTo(StoreHealth.Status.UP);
            assertThat(registry.pendingStoreWrites()).isZero();
            assertThat(log.linesContaining("Store available again")).as("one line when it ends").hasSize(1);
        }
        try (JdbcBreakerStore store = JdbcBreakerStore.sqlite(file)) {
            Set<String> open = store.loadAll().stream().filter(s -> s.state().isTripped())
                    .map(BreakerSnapshot::key).collect(Collectors.toSet());
            List<AuditRecord> audit = store.audit(null, 10_000);
            Set<String> audited = audit.stream().filter(r -> r.action() == AuditAction.TRIP).map(AuditRecord::key)
                    .collect(Collectors.toSet());
            System.out.printf("[MEASURED] full disk: %d trips acknowledged, %d refused; %d audit rows stored%n",
                    acknowledged.size(), refused.size(), audit.size());
            assertThat(open).containsAll(acknowledged).contains("before", "automatic").doesNotContainAnyElementsOf(refused);
            assertThat(audited).containsAll(acknowledged).doesNotContainAnyElementsOf(refused);
            assertThat(audit).filteredOn(r -> r.action() == AuditAction.AUTO_TRIP).extracting(AuditRecord::key)
                    .containsExactly("automatic");
        }
    }

    /** Writes zeros into {@code file} until the filesystem is full. */
    private static Path fill(Path file) throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        return file;
    }
}
