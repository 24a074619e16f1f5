package dev.fusebox.bench;

import dev.failsafe.CircuitBreaker;
import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Failsafe 3.x, the same two paths as {@link FuseboxBenchmark}: a call through a closed breaker
 * with the default config, and a call rejected by a breaker opened by hand with a one-hour delay.
 * The executors are built once. Failsafe has no option to drop the stack trace of its
 * {@link CircuitBreakerOpenException}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FailsafeBenchmark {

    @State(Scope.Benchmark)
    public static class Executors {
        FailsafeExecutor<Integer> closed;
        FailsafeExecutor<Integer> open;
        Integer value;
        CheckedSupplier<Integer> supplier;

        @Setup
        public void setUp() {
            closed = Failsafe.with(CircuitBreaker.<Integer>ofDefaults());
            CircuitBreaker<Integer> openBreaker = CircuitBreaker.<Integer>builder()
                    .withDelay(Duration.ofHours(1))
                    .build();
            openBreaker.open();
            open = Failsafe.with(openBreaker);
            value = 42;
            supplier = () -> value;
        }
    }

    @Benchmark
    public Object failsafe_closedCall(Executors s) {
        return s.closed.get(s.supplier);
    }

    @Benchmark
    public Object failsafe_rejectedCall(Executors s) {
        try {
            return s.open.get(s.supplier);
        } catch (CircuitBreakerOpenException e) {
            return e;
        }
    }
}
