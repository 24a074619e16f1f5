package dev.fusebox.spi;

import java.util.Objects;

/**
 * One row of the audit trail (the seed's {@code circuit_breaker_audit}: bookmaker, action,
 * reason, user, timestamp).
 *
 * @param id the store's id, or 0 before it is stored
 * @param key the breaker key
 * @param action what happened
 * @param reason the reason given, or a description for automatic actions
 * @param user who did it ("fusebox" for automatic actions)
 * @param atMillis wall-clock milliseconds since the epoch
 */
public record AuditRecord(long id, String key, AuditAction action, String reason, String user, long atMillis) {

    /** The user recorded for what the breaker does on its own. */
    public static final String SYSTEM_USER = "fusebox";

    /** Checks the required fields; a null reason becomes empty. */
    public AuditRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(user, "user");
        reason = reason == null ? "" : reason;
    }

    /** The same record with the id the store gave it. */
    public AuditRecord withId(long newId) {
        return new AuditRecord(newId, key, action, reason, user, atMillis);
    }
}
