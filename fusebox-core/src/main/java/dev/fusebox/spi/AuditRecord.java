package dev.fusebox.spi;

import dev.fusebox.event.Change;
import java.util.Objects;

/**
 * One row of the audit trail (table {@code circuit_breaker_audit}: bookmaker, action, reason,
 * user, timestamp). Immutable and thread-safe.
 */
public final class AuditRecord {

    /** The user recorded for what the breaker does on its own. */
    public static final String SYSTEM_USER = Change.SYSTEM_USER;

    private final long id;
    private final String key;
    private final AuditAction action;
    private final String user;
    private final String reason;
    private final long atMillis;

    private AuditRecord(String key, AuditAction action, String user, String reason, long atMillis) {
        this.id = 0;
        this.key = Objects.requireNonNull(key, "key");
        this.action = Objects.requireNonNull(action, "action");
        this.user = Objects.requireNonNull(user, "user");
        this.reason = reason == null ? "" : reason;
        this.atMillis = atMillis;
    }

    private AuditRecord(AuditRecord record, long id) {
        this.id = id;
        this.key = record.key;
        this.action = record.action;
        this.user = record.user;
        this.reason = record.reason;
        this.atMillis = record.atMillis;
    }

    /**
     * A record not stored yet (id 0).
     *
     * @param key the breaker key
     * @param action what happened
     * @param user who did it ({@value #SYSTEM_USER} for automatic actions)
     * @param reason the reason given, or a description for automatic actions; null becomes empty
     * @param atMillis wall-clock milliseconds since the epoch
     */
    public static AuditRecord of(String key, AuditAction action, String user, String reason, long atMillis) {
        return new AuditRecord(key, action, user, reason, atMillis);
    }

    /** The same record with the id the store gave it. */
    public AuditRecord withId(long newId) {
        return new AuditRecord(this, newId);
    }

    /** The store's id, or 0 before it is stored. */
    public long id() {
        return id;
    }

    /** The breaker key. */
    public String key() {
        return key;
    }

    /** What happened. */
    public AuditAction action() {
        return action;
    }

    /** Who did it ({@value #SYSTEM_USER} for automatic actions). */
    public String user() {
        return user;
    }

    /** The reason given, or a description for automatic actions; never null. */
    public String reason() {
        return reason;
    }

    /** When, in wall-clock milliseconds since the epoch. */
    public long atMillis() {
        return atMillis;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditRecord r && r.id == id && r.key.equals(key) && r.action == action
                && r.user.equals(user) && r.reason.equals(reason) && r.atMillis == atMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, key, action, user, reason, atMillis);
    }

    @Override
    public String toString() {
        return "AuditRecord[id=" + id + ", key=" + key + ", action=" + action + ", user=" + user + ", reason="
                + reason + ", atMillis=" + atMillis + "]";
    }
}
