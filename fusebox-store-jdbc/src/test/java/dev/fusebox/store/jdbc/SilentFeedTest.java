package dev.fusebox.store.jdbc;

import static dev.fusebox.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.StoreHealth;
import dev.fusebox.testing.LogCapture;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The connection between an instance and PostgreSQL goes silent (nothing closes it; no byte
 * passes): the instance's change feed notices, the store reports down, and once the network is
 * back the feed reconnects and reads the change it missed.
 */
class SilentFeedTest {

    @Test
    void aSilentConnectionIsDetectedReconnectedAndWhatItMissedIsRead() throws Exception {
        String direct = PostgresServer.freshDatabase();
        int port = PostgresServer.server().getPort();
        try (LogCapture log = new LogCapture();
             StallingProxy proxy = new StallingProxy(port);
             CircuitBreakerRegistry other = CircuitBreakerRegistry.builder().store(JdbcBreakerStore.builder(direct)
                     .instanceId("other").build()).loadSampleInterval(Duration.ZERO).build();
             CircuitBreakerRegistry behindProxy = CircuitBreakerRegistry.builder()
                     .store(JdbcBreakerStore.builder(direct.replace(":" + port + "/", ":" + proxy.port() + "/"))
                             .instanceId("behind-proxy").socketTimeout(Duration.ofSeconds(1))
                             .feedCheckInterval(Duration.ofMillis(200)).connectTimeout(Duration.ofMillis(500)).build())
                     .loadSampleInterval(Duration.ZERO).storeCheckInterval(Duration.ZERO).build()) {
            other.trip("before", "seen through the feed", "alice");
            await(() -> behindProxy.isTripped("before"), "the feed works before the fault");

            proxy.stall();
            long stalledAt = System.nanoTime();
            other.trip("during", "made while the network was silent", "bob");
            await(() -> {
                behindProxy.checkStore();
                return String.valueOf(behindProxy.storeHealth().problem()).contains("change feed is disconnected");
            }, "the change feed notices its silent connection, and the store reports it");
            assertThat(behindProxy.storeHealth().status()).isEqualTo(StoreHealth.Status.DOWN);
            long detectedMillis = (System.nanoTime() - stalledAt) / 1_000_000;
            assertThat(behindProxy.isTripped("during")).as("not heard while silent").isFalse();

            proxy.resume();
            long resumedAt = System.nanoTime();
            await(() -> behindProxy.isTripped("during"), "the missed trip is read after reconnecting");
            await(() -> {
                behindProxy.checkStore();
                return behindProxy.storeHealth().status() == StoreHealth.Status.UP;
            }, "the store reports up again");
            long recoveredMillis = (System.nanoTime() - resumedAt) / 1_000_000;
            System.out.printf("[MEASURED] silent PostgreSQL connection: the change feed reported disconnected after %d ms, the missed trip"
                    + " read and the store up %d ms after the network came back%n", detectedMillis, recoveredMillis);
            assertThat(behindProxy.status("during").orElseThrow().trippedBy()).isEqualTo("bob");
            // one line each per outage, not one per reconnect attempt (every 200 ms while silent);
            // a second pair is allowed for a hiccup of over a second on a loaded machine
            int lost = log.linesContaining("Change feed lost its connection").size();
            assertThat(lost).isBetween(1, 2);
            assertThat(log.linesContaining("Change feed connected again")).hasSize(lost);
        }
    }
}
