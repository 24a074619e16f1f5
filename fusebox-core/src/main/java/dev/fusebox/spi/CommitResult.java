package dev.fusebox.spi;

import java.util.List;
import java.util.Objects;

/**
 * What {@link BreakerStore#commit} did: committed the change with its audit records, or found the
 * breaker at another version and wrote nothing.
 *
 * @param committed whether the change was written
 * @param audit the audit records written, with their ids (empty on a conflict)
 * @param current on a conflict, the stored snapshot that was in the way; null when committed
 */
public record CommitResult(boolean committed, List<AuditRecord> audit, BreakerSnapshot current) {

    /** Copies the list. */
    public CommitResult {
        audit = List.copyOf(audit);
        if (!committed) {
            Objects.requireNonNull(current, "current");
        }
    }

    /** The change and {@code audit} were written. */
    public static CommitResult committed(List<AuditRecord> audit) {
        return new CommitResult(true, audit, null);
    }

    /** Nothing was written: the breaker is at {@code current}'s version. */
    public static CommitResult conflict(BreakerSnapshot current) {
        return new CommitResult(false, List.of(), current);
    }
}
