package dev.fusebox.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Rejections and sheds per operation name, for the {@code operation} metric label. After the
 * first rejection of an operation, counting it again is a map lookup and an add: no allocation.
 * Thread-safe.
 */
final class OperationCounters {

    /** Upper bound on distinct operation names kept per breaker; others share one entry. */
    static final int MAX_OPERATIONS = 256;
    static final String OTHER = "other";

    private final ConcurrentHashMap<String, LongAdder[]> byOperation = new ConcurrentHashMap<>();
    /** Told once per new operation name, on the thread that first rejected it. */
    volatile Consumer<String> onAdded;

    void rejected(String operation) {
        counters(operation)[0].increment();
    }

    void shed(String operation) {
        counters(operation)[1].increment();
    }

    /** operation -> {rejected because tripped, shed}. */
    Map<String, long[]> snapshot() {
        Map<String, long[]> out = new TreeMap<>();
        byOperation.forEach((op, c) -> out.put(op, new long[] {c[0].sum(), c[1].sum()}));
        return out;
    }

    private LongAdder[] counters(String operation) {
        LongAdder[] c = byOperation.get(operation);
        if (c != null) {
            return c;
        }
        String name = byOperation.size() >= MAX_OPERATIONS ? OTHER : operation;
        boolean[] created = new boolean[1];
        LongAdder[] counters = byOperation.computeIfAbsent(name, k -> {
            created[0] = true;
            return new LongAdder[] {new LongAdder(), new LongAdder()};
        });
        Consumer<String> hook = onAdded;
        if (created[0] && hook != null) {
            try {
                hook.accept(name);
            } catch (RuntimeException e) {
                BreakerLog.warn("A listener for new operations failed", e);
            }
        }
        return counters;
    }
}
