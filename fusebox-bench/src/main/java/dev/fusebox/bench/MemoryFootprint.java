package dev.fusebox.bench;

import dev.fusebox.CallContext;
import dev.fusebox.CircuitBreakerRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Locale;
import org.openjdk.jol.info.GraphLayout;

/**
 * Measures what breakers cost in memory, with JOL walking the registry's object graph (what the
 * registry retains: breakers, their counters, the key map, the eviction queue), and the heap in
 * use after a full GC.
 *
 * <ol>
 *   <li>bytes per live breaker: the registry's graph with 1,000 and with 11,000 breakers that each
 *       had a few calls (one in ten failed), the difference over 10,000;
 *   <li>bytes an evicted breaker leaves behind: the graph of a registry bounded at 10,000 after
 *       100,000 keys, against one that only ever had 10,000;
 *   <li>the heap after 1,000,000 distinct keys were each called once with the default bound
 *       (10,000): bounded by the bound, not by the keys seen.
 * </ol>
 *
 * Usage: {@code java -Djol.magicFieldOffset=true -cp benchmarks.jar dev.fusebox.bench.MemoryFootprint}
 * (see bench/keyspace.sh); prints Markdown rows. The graphs include what every registry holds
 * (its threads, executors, the JDK objects they reach): the figures are differences.
 * No store is configured: the default keeps rows only for breakers whose state changed.
 */
public final class MemoryFootprint {

    private static final CallContext CTX = CallContext.of("closedCall", 10);

    private MemoryFootprint() {
    }

    public static void main(String[] args) throws Exception {
        long base = registryBytes(1_000);
        long more = registryBytes(11_000);
        double perBreaker = (more - base) / 10_000.0;
        row("bytes per live breaker (a few calls, some failures)", String.format(Locale.ROOT, "%,.0f B", perBreaker));

        long tenThousand;
        try (CircuitBreakerRegistry never = registry(10_000)) {
            for (int i = 0; i < 10_000; i++) {
                never.call("key-" + i, () -> "ok", CTX);
            }
            tenThousand = GraphLayout.parseInstance(never).totalSize();
        }
        try (CircuitBreakerRegistry bounded = registry(10_000)) {
            for (int i = 0; i < 100_000; i++) {
                bounded.call("key-" + i, () -> "ok", CTX);
            }
            long after = GraphLayout.parseInstance(bounded).totalSize();
            long evicted = bounded.capacity().evicted();
            row("bytes an evicted breaker leaves behind (10,000 live after " + String.format(Locale.ROOT, "%,d", evicted)
                    + " were evicted, against 10,000 that never were)",
                    String.format(Locale.ROOT, "%,.1f B", (after - tenThousand) / (double) evicted));
        }

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        try (CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder()
                .loadSampleInterval(Duration.ZERO).build()) {
            long start = System.nanoTime();
            for (int i = 0; i < 1_000_000; i++) {
                registry.call("tenant-" + i + ".example.com", () -> "ok", CTX);
            }
            long seconds = (System.nanoTime() - start) / 1_000_000;
            long heap = usedAfterGc(memory) - before;
            long graph = GraphLayout.parseInstance(registry).totalSize();
            row("1,000,000 distinct keys called once, default bound: breakers kept",
                    String.format(Locale.ROOT, "%,d (evicted %,d, overflow calls %,d; %,d ms)",
                            registry.capacity().breakers(), registry.capacity().evicted(),
                            registry.capacity().overflowCalls(), seconds));
            row("  heap in use after GC, over the empty JVM", mb(heap));
            row("  the registry's object graph (JOL)", mb(graph));
        }
    }

    private static long registryBytes(int breakers) throws Exception {
        try (CircuitBreakerRegistry registry = registry(breakers)) {
            for (int i = 0; i < breakers; i++) {
                String key = "upstream-" + i + ".example.com";
                for (int call = 0; call < 10; call++) {
                    try {
                        int n = call;
                        registry.call(key, () -> {
                            if (n == 9) {
                                throw new java.io.IOException("upstream said 503");
                            }
                            return "ok";
                        }, CTX);
                    } catch (java.io.IOException expected) {
                        // one call in ten fails
                    }
                }
            }
            return GraphLayout.parseInstance(registry).totalSize();
        }
    }

    private static long emptyBytes() {
        try (CircuitBreakerRegistry registry = registry(10_000)) {
            return GraphLayout.parseInstance(registry).totalSize();
        }
    }

    private static CircuitBreakerRegistry registry(int maxBreakers) {
        return CircuitBreakerRegistry.builder().loadSampleInterval(Duration.ZERO)
                .maxBreakers(maxBreakers).idleTimeout(Duration.ZERO).build();
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100); // lets the collector finish its concurrent work before reading
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1_048_576.0);
    }

    private static void row(String what, String value) {
        System.out.println("| " + what + " | " + value + " |");
    }
}
