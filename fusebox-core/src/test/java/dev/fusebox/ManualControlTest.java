package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.fusebox.spi.AuditAction;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.InMemoryBreakerStore;
import dev.fusebox.testing.Calls;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Manual trip, reset with cooldown and force, status of all, the audit trail. */
class ManualControlTest {

    private final ManualClock clock = new ManualClock();
    private final InMemoryBreakerStore store = new InMemoryBreakerStore();
    private final CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad()).store(store).build();

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void manualTripTripsAndIsAudited() {
        BreakerStatus status = registry.trip("draftkings", "Scheduled maintenance window", "alice").status();

        assertThat(status.tripped()).isTrue();
        assertThat(status.trippedBy()).isEqualTo("alice");
        assertThat(status.tripReason()).isEqualTo("Scheduled maintenance window");
        assertThat(status.tripCount()).isEqualTo(1);
        assertThat(store.audit("draftkings", 10)).extracting(AuditRecord::action, AuditRecord::user, AuditRecord::reason)
                .containsExactly(tuple(AuditAction.TRIP, "alice", "Scheduled maintenance window"));
    }

    @Test
    void deniesResetInsideCooldown() {
        // reset 30 s after the trip is denied
        registry.trip("fanduel", "Test trip", "alice");
        clock.advance(Duration.ofSeconds(30));

        assertThatThrownBy(() -> registry.reset("fanduel", "Test reset", "bob", false))
                .isInstanceOfSatisfying(ResetDeniedException.class, e -> {
                    assertThat(e.retryAfterMillis()).isEqualTo(30_000);
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.RESET_DENIED);
                    assertThat(e.getMessage()).contains("Reset denied: fanduel", "30000 ms", "force");
                });
        assertThat(registry.isTripped("fanduel")).isTrue();
        assertThat(store.audit("fanduel", 1)).extracting(AuditRecord::action, AuditRecord::user)
                .containsExactly(tuple(AuditAction.RESET_DENIED, "bob"));
    }

    @Test
    void forcedResetBypassesTheCooldown() {
        registry.trip("fanduel", "Test trip", "alice");
        clock.advance(Duration.ofSeconds(30));

        BreakerStatus status = registry.reset("fanduel", "Emergency override", "bob", true).status();

        assertThat(status.tripped()).isFalse();
        assertThat(status.lastResetBy()).isEqualTo("bob");
        assertThat(status.lastResetReason()).isEqualTo("Emergency override");
        assertThat(status.lastResetAt()).isEqualTo(clock.instant());
        assertThat(store.audit("fanduel", 1)).extracting(AuditRecord::action)
                .containsExactly(AuditAction.FORCED_RESET);
    }

    @Test
    void allowsResetAfterTheCooldown() throws Exception {
        Calls.failTimes(registry.breaker("fanduel"), 10);
        clock.advance(Duration.ofSeconds(60));

        BreakerStatus status = registry.reset("fanduel", "API team cleared incident", "bob", false).status();

        assertThat(status.state()).isEqualTo(State.CLOSED);
        assertThat(status.failures()).isZero();
        assertThat(Calls.succeed(registry.breaker("fanduel"))).isEqualTo("ok");
        assertThat(store.audit("fanduel", 1)).extracting(AuditRecord::action).containsExactly(AuditAction.RESET);
    }

    @Test
    void cooldownCountsFromTheTripNotFromTheLastFailure() {
        CircuitBreaker b = registry.breaker("fanduel");
        Calls.failTimes(b, 10);
        clock.advance(Duration.ofSeconds(59));

        assertThatThrownBy(() -> b.reset("retry", "bob", false)).isInstanceOf(ResetDeniedException.class)
                .extracting(e -> ((ResetDeniedException) e).retryAfterMillis()).isEqualTo(1000L);
        clock.advance(Duration.ofSeconds(1));
        assertThat(b.reset("retry", "bob", false).status().tripped()).isFalse();
    }

    @Test
    void resetOfAClosedBreakerClearsItsScoreWithoutCooldown() {
        CircuitBreaker b = registry.breaker("pinnacle");
        Calls.failTimes(b, 4);

        BreakerStatus status = b.reset("flaky test upstream", "carol", false).status();

        assertThat(status.failures()).isZero();
        assertThat(store.audit("pinnacle", 1)).extracting(AuditRecord::action).containsExactly(AuditAction.RESET);
    }

    @Test
    void statusAllListsEveryBreaker() {
        registry.trip("draftkings", "Test", "alice");
        registry.trip("fanduel", "Test", "alice");
        registry.breaker("betmgm");

        assertThat(registry.statusAll()).extracting(BreakerStatus::key, BreakerStatus::tripped)
                .containsExactly(tuple("betmgm", false), tuple("draftkings", true), tuple("fanduel", true));
    }

    @Test
    void auditsAutomaticTripsWithTheSystemUser() {
        Calls.failTimes(registry.breaker("draftkings"), 10);
        registry.flush();

        assertThat(store.audit("draftkings", 10)).singleElement().satisfies(r -> {
            assertThat(r.action()).isEqualTo(AuditAction.AUTO_TRIP);
            assertThat(r.user()).isEqualTo(AuditRecord.SYSTEM_USER);
            assertThat(r.reason()).contains("10 failures within 60s", "Last error: Error 9");
            assertThat(r.atMillis()).isEqualTo(clock.wallMillis());
        });
    }

    @Test
    void auditTrailIsNewestFirstAndFilteredByKey() {
        registry.trip("a", "one", "alice");
        clock.advance(Duration.ofSeconds(61));
        registry.reset("a", "two", "bob", false);
        registry.trip("b", "three", "carol");

        assertThat(registry.audit(null, 10)).extracting(AuditRecord::reason).containsExactly("three", "two", "one");
        assertThat(registry.audit("a", 1)).extracting(AuditRecord::reason).containsExactly("two");
        assertThatThrownBy(() -> registry.audit("a", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsBlankOrOversizedUsersAndReasons() {
        assertThatThrownBy(() -> registry.trip("a", " ", "alice")).hasMessageContaining("reason must be 1 to 1000");
        assertThatThrownBy(() -> registry.trip("a", "x".repeat(1001), "alice")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.trip("a", "ok", "al\u0000ice")).hasMessageContaining("user must not contain U+0000");
        assertThat(registry.isTripped("a")).isFalse();
        assertThat(store.audit(null, 10)).isEmpty();
    }

    @Test
    void operatorTripOfAnAutomaticBreakerNeverRecoversOnItsOwn() {
        CircuitBreakerRegistry auto = Registries.manual(clock, new TestLoad(), Presets.READ);
        CircuitBreaker b = auto.breaker("db-read");
        b.trip("maintenance", "alice");
        clock.advance(Duration.ofHours(24));

        assertThatThrownBy(() -> Calls.succeed(b)).isInstanceOf(CircuitOpenException.class);
        assertThat(b.state()).isEqualTo(State.OPEN);
        auto.close();
    }
}
