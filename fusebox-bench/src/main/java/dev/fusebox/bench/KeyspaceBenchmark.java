package dev.fusebox.bench;

import dev.fusebox.CallContext;
import dev.fusebox.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A closed call through {@code registry.call(key, ...)} as the number of live keys grows: the key
 * lookup plus the call. {@code sameKey} calls one key of the registry again and again (its entry
 * stays in the CPU cache); {@code spreadKeys} walks all keys in a shuffled order, so that with many
 * keys most lookups and breakers come from memory, as when traffic spreads over many upstreams.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KeyspaceBenchmark {

    static final CallContext CTX = CallContext.of("closedCall", 10);

    @State(Scope.Benchmark)
    public static class Keys {
        @Param({"1", "1000", "100000"})
        public int keys;

        CircuitBreakerRegistry registry;
        String[] shuffled;
        Callable<Integer> callable;
        final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.LongAdder> plain =
                new java.util.concurrent.ConcurrentHashMap<>();

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            registry = CircuitBreakerRegistry.builder()
                    .loadProbe(() -> 0.1)
                    .loadSampleInterval(Duration.ZERO)
                    .maxBreakers(Math.max(keys, 1))
                    .idleTimeout(Duration.ZERO)
                    .build();
            registry.sampleLoad();
            Integer value = 42;
            callable = () -> value;
            shuffled = new String[keys];
            for (int i = 0; i < keys; i++) {
                shuffled[i] = "upstream-" + i + ".example.com";
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = keys - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                String t = shuffled[i];
                shuffled[i] = shuffled[j];
                shuffled[j] = t;
            }
            for (String key : shuffled) {
                registry.call(key, callable, CTX); // every key is live before the measurement
                plain.put(key, new java.util.concurrent.atomic.LongAdder());
            }
            if (registry.capacity().breakers() != keys) {
                throw new IllegalStateException("expected " + keys + " breakers, got " + registry.capacity());
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            registry.close();
        }
    }

    /** Each thread's place in the shuffled keys. */
    @State(Scope.Thread)
    public static class Cursor {
        int next = ThreadLocalRandom.current().nextInt(1 << 20);
    }

    @Benchmark
    public Object sameKey(Keys k) throws Exception {
        return k.registry.call(k.shuffled[0], k.callable, CTX);
    }

    /**
     * What spreading over the keys costs without Fusebox: a lookup of the same keys in a plain
     * {@code ConcurrentHashMap} and an add to a {@code LongAdder} per key, the floor for any
     * registry that keeps per-key state.
     */
    @Benchmark
    public Object spreadKeysMapOnly(Keys k, Cursor c) {
        String[] keys = k.shuffled;
        int i = c.next++ % keys.length;
        java.util.concurrent.atomic.LongAdder counter = k.plain.get(keys[i]);
        counter.increment();
        return counter;
    }

    @Benchmark
    public Object spreadKeys(Keys k, Cursor c) throws Exception {
        String[] keys = k.shuffled;
        int i = c.next++ % keys.length;
        return k.registry.call(keys[i], k.callable, CTX);
    }
}
