package dev.fusebox.store.jdbc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Delays between a trip on one instance and its arrival on another, and their percentiles. */
final class Propagation {

    private final List<Long> millis = new ArrayList<>();

    synchronized void add(long delayMillis) {
        millis.add(delayMillis);
    }

    synchronized long percentile(double p) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }

    synchronized int count() {
        return millis.size();
    }

    /** One line for the test report, e.g. "PostgreSQL propagation over 200 trips: p50 3 ms, p99 9 ms, max 12 ms". */
    String report(String what) {
        String line = String.format(Locale.ROOT, "%s propagation over %d trips: p50 %d ms, p99 %d ms, max %d ms",
                what, count(), percentile(50), percentile(99), percentile(100));
        System.out.println("[MEASURED] " + line);
        return line;
    }
}
