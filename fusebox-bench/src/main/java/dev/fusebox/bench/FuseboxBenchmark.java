package dev.fusebox.bench;

import dev.fusebox.CallContext;
import dev.fusebox.CircuitBreaker;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.CircuitOpenException;
import dev.fusebox.Fallback;
import dev.fusebox.LoadShedException;
import dev.fusebox.Presets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Fusebox's call path: through a closed breaker, through a tripped one, and the load-shed check
 * for a heavy call at low load (admitted) and at high load (shed).
 *
 * <p>Each state is shared by all benchmark threads ({@link Scope#Benchmark}), as one breaker is
 * shared by the threads of a service. Contexts are constants, as the API documents. The load is
 * injected and sampled once in setup; there is no background sampler.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FuseboxBenchmark {

    static final CallContext CTX = CallContext.of("closedCall", 10);
    static final CallContext HEAVY_CTX = CallContext.of("heavy", 200);

    /**
     * A registry with every default except the load, which is injected and sampled once. Its
     * background work (the once-a-second log pump and latency fold) runs during the measurement,
     * as it would in a service: rejections and sheds are logged from there, never on the call path.
     */
    static CircuitBreakerRegistry registry(double load) {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder()
                .loadProbe(() -> load)
                .loadSampleInterval(Duration.ZERO)
                .build();
        registry.sampleLoad();
        return registry;
    }

    /** The state of one benchmark: a registry, one breaker and the callable it runs. */
    public abstract static class Upstream {
        CircuitBreakerRegistry registry;
        CircuitBreaker breaker;
        Integer value;
        Callable<Integer> callable;
        Fallback<Integer> fallback;

        void start(CircuitBreakerRegistry r) {
            registry = r;
            breaker = r.breaker("upstream");
            value = 42;
            callable = () -> value;
            fallback = rejection -> -1;
        }

        @TearDown
        public void tearDown() {
            registry.close();
        }
    }

    /** Load 0.1, a closed breaker, every setting at its default. */
    @State(Scope.Benchmark)
    public static class Closed extends Upstream {
        @Setup
        public void setUp() {
            start(registry(0.1));
        }
    }

    /** Load 0.1, a breaker tripped by an operator (latched open). */
    @State(Scope.Benchmark)
    public static class Tripped extends Upstream {
        @Setup
        public void setUp() {
            start(registry(0.1));
            breaker.trip("bench", "bench-user");
        }
    }

    /**
     * Load 0.1, a breaker with automatic recovery opened by real failures, like Resilience4j's
     * open state: its rejections count down to the trial period, one hour away.
     */
    @State(Scope.Benchmark)
    public static class AutoOpened extends Upstream {
        @Setup
        public void setUp() {
            CircuitBreakerRegistry r = CircuitBreakerRegistry.builder()
                    .loadProbe(() -> 0.1)
                    .loadSampleInterval(Duration.ZERO)
                    .preset("upstream", Presets.READ.toBuilder().openWait(Duration.ofHours(1))
                            .maxOpenWait(Duration.ofHours(1)).build())
                    .build();
            r.sampleLoad();
            start(r);
            for (int i = 0; i < 3; i++) {
                try {
                    breaker.call(() -> {
                        throw new java.io.IOException("upstream down");
                    }, CTX);
                } catch (Exception expected) {
                    // the failures that open it
                }
            }
            if (breaker.status().state() != dev.fusebox.State.OPEN) {
                throw new IllegalStateException("the breaker did not open: " + breaker.status());
            }
        }
    }

    /** Load 0.95: heavy calls are shed. */
    @State(Scope.Benchmark)
    public static class Shedding extends Upstream {
        @Setup
        public void setUp() {
            start(registry(0.95));
        }
    }

    @Benchmark
    public Object fusebox_closedCall(Closed s) throws Exception {
        return s.breaker.call(s.callable, CTX);
    }

    @Benchmark
    public Object fusebox_rejectedCall(Tripped s) throws Exception {
        try {
            return s.breaker.call(s.callable, CTX);
        } catch (CircuitOpenException e) {
            return e;
        }
    }

    /** A rejection by a breaker that opened itself and will try again later. */
    @Benchmark
    public Object fusebox_rejectedCallAutoOpen(AutoOpened s) throws Exception {
        try {
            return s.breaker.call(s.callable, CTX);
        } catch (CircuitOpenException e) {
            return e;
        }
    }

    /** The same rejection answered by a fallback: {@code call(callable, ctx, fallback)} throws nothing. */
    @Benchmark
    public Object fusebox_rejectedCallWithFallback(Tripped s) throws Exception {
        return s.breaker.call(s.callable, CTX, s.fallback);
    }

    /** A heavy call at load 0.1: the shed check reads the sampled load (one volatile read) and admits it. */
    @Benchmark
    public Object fusebox_loadShedCheck(Closed s) throws Exception {
        return s.breaker.call(s.callable, HEAVY_CTX);
    }

    /** A heavy call at load 0.95: shed before it runs. */
    @Benchmark
    public Object fusebox_shedCall(Shedding s) throws Exception {
        try {
            return s.breaker.call(s.callable, HEAVY_CTX);
        } catch (LoadShedException e) {
            return e;
        }
    }
}
