package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Calls with a timeout from 10,000 virtual threads. These tests need Java 21 or later and run on
 * Temurin 25 (see the {@code jdk25-tests} profile in this module's pom): on Java 17 there are no
 * virtual threads to call from.
 */
@Tag("virtual-threads")
class TimedCallsOnVirtualThreadsTest {

    private static final int CALLERS = 10_000;

    @Test
    void tenThousandVirtualThreadsThroughATimedBreakerUseABoundedNumberOfPlatformThreads() throws Exception {
        assertThat(Runtime.version().feature()).as("needs virtual threads").isGreaterThanOrEqualTo(21);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Path jfr = Files.createTempFile("fusebox-pinning", ".jfr");
        try (CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder()
                .defaultConfig(BreakerConfig.builder().callTimeout(Duration.ofSeconds(30)).build()).build();
             Recording recording = new Recording()) {
            CircuitBreaker breaker = registry.breaker("draftkings");
            int platformBefore = threads.getThreadCount();
            threads.resetPeakThreadCount();
            // Classes are initialised once, by one thread while the others wait, pinned: the JDK's
            // doing. Warm up first, then record.
            ExecutorService warmUp = virtualThreadPerTask();
            try {
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    calls.add(warmUp.submit(() -> breaker.call(() -> "ok", CallContext.DEFAULT)));
                }
                for (Future<?> call : calls) {
                    call.get(60, TimeUnit.SECONDS);
                }
            } finally {
                warmUp.shutdownNow();
            }
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            AtomicInteger ok = new AtomicInteger();
            ExecutorService virtual = virtualThreadPerTask(); // ExecutorService is AutoCloseable only on 19+
            try {
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < CALLERS; i++) {
                    calls.add(virtual.submit(() -> {
                        String answer = breaker.call(() -> {
                            Thread.sleep(50); // the upstream takes 50 ms
                            return "ok";
                        }, CallContext.DEFAULT);
                        ok.addAndGet(answer.equals("ok") ? 1 : 0);
                        return null;
                    }));
                }
                for (Future<?> call : calls) {
                    call.get(120, TimeUnit.SECONDS);
                }
            } finally {
                virtual.shutdownNow();
            }
            int peak = threads.getPeakThreadCount();
            recording.stop();
            recording.dump(jfr);
            List<RecordedEvent> pinned = RecordingFile.readAllEvents(jfr);
            System.out.printf("[MEASURED] %d timed calls from virtual threads: platform threads %d before, peak %d;"
                    + " %d pinned events%n", CALLERS, platformBefore, peak, pinned.size());

            assertThat(ok).hasValue(CALLERS);
            assertThat(peak - platformBefore).as("platform threads added while 10,000 timed calls ran")
                    .isLessThan(50);
            assertThat(pinned).as("virtual threads pinned to their carrier").isEmpty();
        } finally {
            Files.deleteIfExists(jfr);
        }
    }

    /** {@code Executors.newVirtualThreadPerTaskExecutor()}, called reflectively: this module compiles for Java 17. */
    private static ExecutorService virtualThreadPerTask() throws ReflectiveOperationException {
        return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }
}
