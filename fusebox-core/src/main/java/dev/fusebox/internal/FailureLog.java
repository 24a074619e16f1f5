package dev.fusebox.internal;

import dev.fusebox.Outcome;
import dev.fusebox.RecordedFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@value #CAPACITY} failures of one breaker, kept to show why it tripped. Written on
 * the failure path only (a closed breaker's successes never touch it), without a lock: a slot is
 * claimed with one atomic increment. Thread-safe.
 */
final class FailureLog {

    static final int CAPACITY = 32;

    private final AtomicReferenceArray<RecordedFailure> slots = new AtomicReferenceArray<>(CAPACITY);
    private final AtomicLong written = new AtomicLong();

    void add(long atMillis, boolean timeout, String error, double weight) {
        long n = written.getAndIncrement();
        slots.set((int) (n % CAPACITY), new RecordedFailure(Instant.ofEpochMilli(atMillis),
                timeout ? Outcome.TIMEOUT : Outcome.FAILURE, error, weight));
    }

    /** The failures at or after {@code sinceMillis}, oldest first. */
    List<RecordedFailure> since(long sinceMillis) {
        long end = written.get();
        List<RecordedFailure> out = new ArrayList<>(CAPACITY);
        for (long n = Math.max(0, end - CAPACITY); n < end; n++) {
            RecordedFailure f = slots.get((int) (n % CAPACITY));
            if (f != null && f.at().toEpochMilli() >= sinceMillis) {
                out.add(f);
            }
        }
        out.sort((a, b) -> a.at().compareTo(b.at()));
        return List.copyOf(out);
    }
}
