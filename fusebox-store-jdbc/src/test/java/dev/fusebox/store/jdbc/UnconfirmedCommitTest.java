package dev.fusebox.store.jdbc;

import static dev.fusebox.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.BreakerConfig;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.StoreUnavailableException;
import dev.fusebox.spi.AuditAction;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.testing.LogCapture;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The connection to PostgreSQL breaks right after a COMMIT was sent: the server commits, the
 * instance never hears back. The instance must find out that its change landed: no second audit
 * record, no second version, and an operator's change that it reported as unconfirmed ends up in
 * effect here as everywhere else.
 */
class UnconfirmedCommitTest {

    private static final BreakerConfig TRIP_AT_ONCE = BreakerConfig.builder().failureThreshold(1)
            .resetCooldown(Duration.ZERO).build();

    @Test
    void anAutomaticTripWhoseCommitWasNotConfirmedIsStoredOnceAndCountsAsStored() throws Exception {
        String direct = PostgresServer.freshDatabase();
        int port = PostgresServer.server().getPort();
        try (LogCapture log = new LogCapture();
             StallingProxy proxy = new StallingProxy(port);
             CircuitBreakerRegistry other = registry(direct, "other");
             CircuitBreakerRegistry behind = registry(viaProxy(direct, port, proxy),
                     "behind-proxy")) {
            proxy.cutAfter("COMMIT");
            try {
                behind.call("k", () -> {
                    throw new IllegalStateException("upstream 500");
                }, dev.fusebox.CallContext.DEFAULT);
            } catch (IllegalStateException expected) {
                // the call's own failure trips the breaker
            }
            await(() -> {
                behind.flush();
                return proxy.cuts() == 1 && behind.pendingStoreWrites() == 0;
            }, "the trip is written (the first commit's answer was cut off)");
            await(() -> other.isTripped("k"), "the other instance follows the trip");

            assertThat(behind.audit("k", 10)).extracting(AuditRecord::action).containsExactly(AuditAction.AUTO_TRIP);
            assertThat(behind.status("k").orElseThrow().version())
                    .as("one state change, one version, the same on both")
                    .isEqualTo(1).isEqualTo(other.status("k").orElseThrow().version());
            assertThat(log.linesContaining("whose commit was not confirmed had been stored")).hasSize(1);
        }
    }

    @Test
    void anOperatorTripWhoseCommitWasNotConfirmedIsReportedSoAndThenTakesEffect() throws Exception {
        String direct = PostgresServer.freshDatabase();
        int port = PostgresServer.server().getPort();
        try (StallingProxy proxy = new StallingProxy(port);
             CircuitBreakerRegistry other = registry(direct, "other");
             CircuitBreakerRegistry behind = registry(viaProxy(direct, port, proxy),
                     "behind-proxy")) {
            behind.breaker("k");
            proxy.cutAfter("COMMIT");
            assertThatThrownBy(() -> behind.trip("k", "incident 42", "alice"))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("has not taken effect here")
                    .hasMessageContaining("did not confirm");
            assertThat(proxy.cuts()).isEqualTo(1);

            await(() -> behind.isTripped("k"), "the trip that did land takes effect here too");
            await(() -> other.isTripped("k"), "and on the other instance");
            assertThat(behind.audit("k", 10)).extracting(AuditRecord::action, AuditRecord::user)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditAction.TRIP, "alice"));
            assertThat(behind.status("k").orElseThrow().version())
                    .isEqualTo(other.status("k").orElseThrow().version()).isEqualTo(1);
        }
    }

    /**
     * The URL through the proxy. Statements are sent as text every time (no server-side prepared
     * statements, which would send a COMMIT by name after five uses), so the proxy can see the COMMIT.
     */
    private static String viaProxy(String direct, int port, StallingProxy proxy) {
        return direct.replace(":" + port + "/", ":" + proxy.port() + "/") + "&prepareThreshold=0";
    }

    private static CircuitBreakerRegistry registry(String url, String instance) {
        return CircuitBreakerRegistry.builder()
                .store(JdbcBreakerStore.builder(url).instanceId(instance).socketTimeout(Duration.ofSeconds(2))
                        .connectTimeout(Duration.ofSeconds(1)).build())
                .defaultConfig(TRIP_AT_ONCE).loadSampleInterval(Duration.ZERO).storeCheckInterval(Duration.ZERO)
                .build();
    }
}
