package dev.fusebox.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.BreakerConfig;
import dev.fusebox.CallContext;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.LoadShedException;
import dev.fusebox.Presets;
import dev.fusebox.RecoveryPolicy;
import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.BreakerListener;
import dev.fusebox.spi.BreakerStore;
import dev.fusebox.spi.InMemoryBreakerStore;
import dev.fusebox.store.jdbc.JdbcBreakerStore;
import dev.fusebox.testing.TestLoad;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.sqlite.SQLiteDataSource;

/** What the {@code fusebox.*} properties make of the registry, and when its beans back off. */
class PropertiesTest {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FuseboxAutoConfiguration.class))
            .withPropertyValues("fusebox.store.type=memory");

    @Test
    void withoutPropertiesTheBreakersHaveTheLibrarysDefaults() {
        runner.run(context -> {
            CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
            assertThat(registry.breaker("draftkings").config().toString()).isEqualTo(BreakerConfig.defaults().toString());
            assertThat(registry.loadShedThreshold()).isEqualTo(0.85);
        });
    }

    @Test
    void defaultsKeysAndPrefixesEachConfigureTheirBreakers() {
        runner.withPropertyValues(
                "fusebox.defaults.failure-threshold=5",
                "fusebox.defaults.failure-window=30s",
                "fusebox.defaults.call-timeout=2s",
                "fusebox.breakers.draftkings.timeout-weight=1",
                "fusebox.breakers.[db.read.users].preset=auth",
                "fusebox.prefixes.db.preset=read",
                "fusebox.prefixes.db.open-wait=1s",
                "fusebox.prefixes.fanduel.recovery-policy=automatic",
                "fusebox.prefixes.fanduel.backoff-multiplier=3",
                "fusebox.prefixes.fanduel.call-timeout=0",
                "fusebox.prefixes.fanduel.reset-cooldown=5m").run(context -> {
                    CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);

                    BreakerConfig other = registry.breaker("betmgm").config();
                    assertThat(other.failureThreshold()).isEqualTo(5);
                    assertThat(other.failureWindow()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(other.callTimeout()).isEqualTo(Duration.ofSeconds(2));

                    BreakerConfig draftkings = registry.breaker("draftkings").config();
                    assertThat(draftkings.timeoutWeight()).isEqualTo(1.0);
                    assertThat(draftkings.failureThreshold()).as("inherited from the defaults").isEqualTo(5);

                    BreakerConfig read = registry.breaker("db.read").config();
                    assertThat(read.recoveryPolicy()).isEqualTo(RecoveryPolicy.AUTOMATIC);
                    assertThat(read.failureThreshold()).as("the preset, not the defaults").isEqualTo(3);
                    assertThat(read.openWait()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(registry.breaker("db.read.users").config().toString())
                            .as("an exact key wins over a prefix").isEqualTo(Presets.AUTH.toString());

                    BreakerConfig fanduel = registry.breaker("fanduel-us").config();
                    assertThat(fanduel.recoveryPolicy()).isEqualTo(RecoveryPolicy.AUTOMATIC);
                    assertThat(fanduel.backoffMultiplier()).isEqualTo(3.0);
                    assertThat(fanduel.callTimeout()).as("0 turns an inherited timeout off").isNull();
                    assertThat(fanduel.resetCooldown()).isEqualTo(Duration.ofMinutes(5));
                });
    }

    @Test
    void loadSheddingFollowsItsProperties() {
        TestLoad load = new TestLoad().set(0.7);
        CallContext heavy = CallContext.of("graphBuild", 500);
        runner.withPropertyValues("fusebox.load-shedding.threshold=0.6")
                .withBean(FuseboxRegistryCustomizer.class, () -> b -> b.loadProbe(load).loadSampleInterval(Duration.ZERO))
                .run(context -> {
                    CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
                    registry.sampleLoad();
                    assertThatThrownBy(() -> registry.call("draftkings", () -> "x", heavy))
                            .isInstanceOf(LoadShedException.class);
                });
        runner.withPropertyValues("fusebox.load-shedding.threshold=0.6", "fusebox.load-shedding.enabled=false")
                .withBean(FuseboxRegistryCustomizer.class, () -> b -> b.loadProbe(load))
                .run(context -> {
                    CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
                    registry.sampleLoad();
                    assertThat(registry.call("draftkings", () -> "x", heavy)).as("no call is heavy").isEqualTo("x");
                });
    }

    @Test
    void theDefaultStoreIsTheSqliteFileAndKeepsATrip() {
        Path file = dir.resolve("data/circuit_breaker.db");
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FuseboxAutoConfiguration.class))
                .withPropertyValues("fusebox.store.sqlite-file=" + file)
                .run(context -> context.getBean(CircuitBreakerRegistry.class).trip("draftkings", "maintenance", "alice"));

        try (CircuitBreakerRegistry reopened = CircuitBreakerRegistry.builder().store(JdbcBreakerStore.sqlite(file)).build()) {
            assertThat(reopened.isTripped("draftkings")).isTrue();
        }
    }

    @Test
    void aJdbcUrlStoreIsUsed() {
        Path file = dir.resolve("by-url.db");
        runner.withPropertyValues("fusebox.store.type=jdbc", "fusebox.store.url=jdbc:sqlite:" + file)
                .run(context -> {
                    assertThat(context.getBean(BreakerStore.class)).isInstanceOf(JdbcBreakerStore.class);
                    assertThat(context.getBean(CircuitBreakerRegistry.class).trip("draftkings", "x", "alice").durable())
                            .isTrue();
                });
        assertThat(file).isRegularFile();
    }

    @Test
    void theApplicationsDataSourceIsUsedWhenAsked() {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("app.db"));
        runner.withPropertyValues("fusebox.store.type=datasource").withBean(SQLiteDataSource.class, () -> dataSource)
                .run(context -> context.getBean(CircuitBreakerRegistry.class).trip("draftkings", "maintenance", "alice"));

        try (CircuitBreakerRegistry reopened = CircuitBreakerRegistry.builder()
                .store(JdbcBreakerStore.builder(dataSource).build()).build()) {
            assertThat(reopened.isTripped("draftkings")).isTrue();
        }
    }

    @Test
    void aDataSourceStoreWithoutADataSourceSaysSo() {
        runner.withPropertyValues("fusebox.store.type=datasource").run(context -> assertThat(context).getFailure()
                .hasStackTraceContaining("fusebox.store.type is datasource, but the application has no single DataSource"));
    }

    @Test
    void theRegistryIsClosedWithTheContextAndClosesItsStore() {
        AtomicInteger closed = new AtomicInteger();
        InMemoryBreakerStore store = new InMemoryBreakerStore() {
            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
        runner.withBean(FuseboxRegistryCustomizer.class, () -> b -> b.store(store)).run(context -> {
            assertThat(context.getBean(CircuitBreakerRegistry.class)).isNotNull();
            assertThat(closed).hasValue(0);
        });
        assertThat(closed).as("closed once, by the registry").hasValue(1);
    }

    @Test
    void backsOffWhenTheApplicationHasItsOwnRegistry() {
        try (CircuitBreakerRegistry own = CircuitBreakerRegistry.builder().build()) {
            runner.withBean(CircuitBreakerRegistry.class, () -> own).run(context -> {
                assertThat(context.getBean(CircuitBreakerRegistry.class)).isSameAs(own);
                assertThat(context).doesNotHaveBean(BreakerStore.class);
            });
        }
    }

    @Test
    void customizersAndListenerBeansAreApplied() {
        List<BreakerEvent> events = new CopyOnWriteArrayList<>();
        BreakerListener listener = new BreakerListener() {
            @Override
            public void onTrip(BreakerEvent.Tripped event) {
                events.add(event);
            }
        };
        runner.withBean(BreakerListener.class, () -> listener)
                .withBean(FuseboxRegistryCustomizer.class, () -> b -> b.preset("pinnacle", Presets.WRITE))
                .run(context -> {
                    CircuitBreakerRegistry registry = context.getBean(CircuitBreakerRegistry.class);
                    registry.trip("pinnacle", "maintenance", "alice");
                    assertThat(registry.breaker("pinnacle").config().toString()).isEqualTo(Presets.WRITE.toString());
                    assertThat(events).singleElement().extracting(BreakerEvent::key).isEqualTo("pinnacle");
                });
    }

    @Test
    void canBeTurnedOff() {
        runner.withPropertyValues("fusebox.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(CircuitBreakerRegistry.class));
    }
}
