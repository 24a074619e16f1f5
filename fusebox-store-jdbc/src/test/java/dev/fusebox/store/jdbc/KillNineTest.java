package dev.fusebox.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.spi.AuditRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM trips and resets breakers over SQLite and is killed with SIGKILL in the middle;
 * a new registry over the same file finds every acknowledged operation.
 */
class KillNineTest {

    private static final int ACKS_BEFORE_KILL = 300;

    @TempDir
    Path dir;

    @Test
    void nothingAcknowledgedIsLostWhenTheProcessIsKilled() throws Exception {
        Path file = dir.resolve("circuit_breaker.db");
        Process child = StoreChild.start("operate", file.toString());
        int lastAck = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (!line.startsWith("ACK ")) {
                    continue; // e.g. logging set-up messages
                }
                lastAck = Integer.parseInt(line.substring(4));
                if (lastAck + 1 == ACKS_BEFORE_KILL) {
                    // SIGKILL, no shutdown hook, no flush. Through the handle: Process.destroyForcibly
                    // would also close our end of its output, losing the acknowledgements still in it.
                    child.toHandle().destroyForcibly();
                }
            }
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(lastAck).isGreaterThanOrEqualTo(ACKS_BEFORE_KILL - 1);

        try (CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder()
                .store(JdbcBreakerStore.sqlite(file)).build()) {
            Set<String> audited = registry.audit(null, 10_000).stream().map(AuditRecord::reason)
                    .collect(Collectors.toSet());
            for (int n = 0; n <= lastAck; n++) {
                assertThat(audited).as("audit row of acknowledged operation %d", n).contains("op-" + n);
            }
            int unacknowledgedKey = (lastAck + 1) % 10; // operation lastAck + 1 may have committed before the kill
            for (int key = 0; key < 10; key++) {
                if (key == unacknowledgedKey) {
                    continue;
                }
                int lastOnKey = lastAck - Math.floorMod(lastAck - key, 10);
                boolean trippedByIt = (lastOnKey / 10) % 2 == 0;
                assertThat(registry.isTripped("k" + key)).as("k%d after acknowledged operation %d", key, lastOnKey)
                        .isEqualTo(trippedByIt);
            }
        }
    }
}
