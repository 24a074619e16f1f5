package dev.fusebox.spi;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.util.function.LongSupplier;

/**
 * The default load probe: 40 % heap in use, 30 % CPU, 30 % calls in flight against a capacity.
 *
 * <p>Heap is used / max of the JVM heap. CPU is the whole machine's recent CPU usage where the
 * JVM reports it ({@code com.sun.management}), else the one-minute load average divided by the
 * processor count. In flight is the registry's count of running protected calls divided by the
 * configured capacity, capped at 1. Thread-safe.
 */
public final class SystemLoadProbe implements LoadProbe {

    public static final double HEAP_WEIGHT = 0.4;
    public static final double CPU_WEIGHT = 0.3;
    public static final double IN_FLIGHT_WEIGHT = 0.3;

    private final LongSupplier inFlight;
    private final int capacity;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

    /**
     * @param inFlight the number of protected calls running now
     * @param capacity how many calls in flight count as fully loaded, &gt; 0
     */
    public SystemLoadProbe(LongSupplier inFlight, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0, but was " + capacity);
        }
        this.inFlight = inFlight;
        this.capacity = capacity;
    }

    @Override
    public double sample() {
        return combine(heapUsage(), cpuUsage(), (double) Math.max(0, inFlight.getAsLong()) / capacity);
    }

    /** The weighted load from three parts, each clamped to [0, 1]. */
    public static double combine(double heap, double cpu, double inFlightRatio) {
        return HEAP_WEIGHT * clamp(heap) + CPU_WEIGHT * clamp(cpu) + IN_FLIGHT_WEIGHT * clamp(inFlightRatio);
    }

    private double heapUsage() {
        MemoryUsage heap = memory.getHeapMemoryUsage();
        long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        return max > 0 ? (double) heap.getUsed() / max : 0;
    }

    private double cpuUsage() {
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            double cpu = sun.getCpuLoad();
            if (cpu >= 0) {
                return cpu;
            }
        }
        double average = os.getSystemLoadAverage();
        return average >= 0 ? average / os.getAvailableProcessors() : 0;
    }

    private static double clamp(double v) {
        return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
    }
}
