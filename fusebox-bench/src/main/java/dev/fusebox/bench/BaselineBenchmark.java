package dev.fusebox.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The floor for the load-shed check: one volatile read of a double, as
 * {@code LoadShedder.shouldShed} does for a heavy call. Compare with
 * {@code FuseboxBenchmark.fusebox_loadShedCheck - fusebox_closedCall}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BaselineBenchmark {

    @State(Scope.Benchmark)
    public static class Load {
        volatile double load = 0.1;
    }

    @Benchmark
    public double baseline_volatileRead(Load s) {
        return s.load;
    }
}
