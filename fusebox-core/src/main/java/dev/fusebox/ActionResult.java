package dev.fusebox;

import dev.fusebox.spi.AuditRecord;
import java.util.Objects;

/**
 * What an operator's trip or reset did. It is returned only once the change and its audit record
 * are stored (otherwise the action throws {@link StoreUnavailableException} and nothing changes).
 *
 * @param status the breaker's status after the change
 * @param audit the audit record, as stored (with its id)
 * @param durable whether the store survives a restart of this process (a database, not the
 *     in-memory store): when true, the change is durable and shared with every instance using
 *     the store
 */
public record ActionResult(BreakerStatus status, AuditRecord audit, boolean durable) {

    /** Checks the required fields. */
    public ActionResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(audit, "audit");
    }
}
