package dev.fusebox.bench;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Resilience4j 2.x, the same two paths as {@link FuseboxBenchmark}: a call through a closed
 * breaker with the default config, and a call rejected by a forced-open breaker. The rejecting
 * breaker is configured with {@code writableStackTraceEnabled(false)} (Resilience4j's documented
 * option), so its {@link CallNotPermittedException} skips the stack trace like Fusebox's does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Resilience4jBenchmark {

    @State(Scope.Benchmark)
    public static class Breakers {
        CircuitBreaker closed;
        CircuitBreaker open;
        Integer value;
        Supplier<Integer> supplier;

        @Setup
        public void setUp() {
            closed = CircuitBreaker.ofDefaults("x");
            open = CircuitBreaker.of("open", CircuitBreakerConfig.custom()
                    .waitDurationInOpenState(Duration.ofHours(1))
                    .writableStackTraceEnabled(false)
                    .build());
            open.transitionToForcedOpenState();
            value = 42;
            supplier = () -> value;
        }
    }

    @Benchmark
    public Object resilience4j_closedCall(Breakers s) {
        return s.closed.executeSupplier(s.supplier);
    }

    @Benchmark
    public Object resilience4j_rejectedCall(Breakers s) {
        try {
            return s.open.executeSupplier(s.supplier);
        } catch (CallNotPermittedException e) {
            return e;
        }
    }
}
