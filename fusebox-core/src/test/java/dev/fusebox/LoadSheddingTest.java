package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fusebox.spi.SystemLoadProbe;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The system load: 40 % heap, 30 % CPU, 30 % in flight; shed above 0.85 for loads above 100. */
class LoadSheddingTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void weighsHeapCpuAndCallsInFlight() {
        assertThat(SystemLoadProbe.combine(1, 1, 1)).isEqualTo(1.0, within(1e-12));
        assertThat(SystemLoadProbe.combine(1, 0, 0)).isEqualTo(0.4, within(1e-12));
        assertThat(SystemLoadProbe.combine(0, 1, 0)).isEqualTo(0.3, within(1e-12));
        assertThat(SystemLoadProbe.combine(0, 0, 1)).isEqualTo(0.3, within(1e-12));
        assertThat(SystemLoadProbe.combine(0.5, 0.9, 2.0)).as("in flight is capped at capacity")
                .isEqualTo(0.2 + 0.27 + 0.3, within(1e-12));
        assertThat(SystemLoadProbe.combine(Double.NaN, -1, 0)).isZero();
    }

    @Test
    void systemProbeReadsTheInFlightCountItIsGiven() {
        AtomicLong inFlight = new AtomicLong();
        SystemLoadProbe probe = new SystemLoadProbe(inFlight::get, 10);
        double idle = probe.sample();
        inFlight.set(1000);

        double busy = probe.sample();

        assertThat(idle).isBetween(0.0, 0.7);
        assertThat(busy).isBetween(0.3, 1.0);
        assertThatThrownBy(() -> new SystemLoadProbe(inFlight::get, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countsCallsInFlightAcrossBreakers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad()).build()) {
            CountDownLatch started = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            Future<?> a = pool.submit(() -> registry.call("a", () -> {
                started.countDown();
                return release.await(30, TimeUnit.SECONDS);
            }, CallContext.DEFAULT));
            Future<?> b = pool.submit(() -> registry.call("b", () -> {
                started.countDown();
                return release.await(30, TimeUnit.SECONDS);
            }, CallContext.DEFAULT));
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

            assertThat(registry.inFlightCalls()).isEqualTo(2);
            release.countDown();
            a.get(30, TimeUnit.SECONDS);
            b.get(30, TimeUnit.SECONDS);
            assertThat(registry.inFlightCalls()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keepsThePreviousLoadWhenTheProbeFails() {
        double[] next = {0.9};
        try (CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad())
                .loadProbe(() -> {
                    if (Double.isInfinite(next[0])) {
                        throw new IllegalStateException("probe broken");
                    }
                    return next[0];
                }).build()) {
            assertThat(registry.sampleLoad()).isEqualTo(0.9);
            next[0] = Double.POSITIVE_INFINITY;
            assertThat(registry.sampleLoad()).isEqualTo(0.9);
            next[0] = Double.NaN;
            assertThat(registry.sampleLoad()).isEqualTo(0.9);
            next[0] = 7;
            assertThat(registry.sampleLoad()).as("clamped").isEqualTo(1.0);
        }
    }

    @Test
    void samplesInTheBackgroundOnTheRegistryScheduler() {
        TestLoad load = new TestLoad().set(0.5);
        try (CircuitBreakerRegistry registry = Registries.manual(clock, load)
                .loadSampleInterval(Duration.ofMillis(100)).build()) {
            clock.advance(Duration.ZERO);
            assertThat(registry.currentLoad()).as("sampled in the background as soon as it starts").isEqualTo(0.5);
            load.set(0.95);
            assertThat(registry.currentLoad()).isEqualTo(0.5);

            clock.advance(Duration.ofMillis(100));

            assertThat(registry.currentLoad()).isEqualTo(0.95);
        }
    }

    @Test
    void honoursAConfiguredThresholdAndHeavyLimit() throws Exception {
        TestLoad load = new TestLoad().set(0.75);
        try (CircuitBreakerRegistry registry = Registries.manual(clock, load)
                .loadShedThreshold(0.7).heavyCallLoad(20).build()) {
            registry.sampleLoad();

            assertThat(registry.call("k", () -> "light", CallContext.of("microBet", 10))).isEqualTo("light");
            assertThatThrownBy(() -> registry.call("k", () -> "x", CallContext.of("darkPoolProbe", 25)))
                    .isInstanceOf(LoadShedException.class)
                    .hasMessage("Load shed darkPoolProbe for k: system load 75.0% > 70%, operation load 25");
        }
    }
}
