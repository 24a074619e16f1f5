package dev.fusebox.spi;

/** What an audit record is about. The names are stored and never change. */
public enum AuditAction {
    /** An operator tripped the breaker. */
    TRIP,
    /** The breaker tripped on its own (failure score, rate, or a failed trial call). */
    AUTO_TRIP,
    /** An operator reset the breaker after the cooldown. */
    RESET,
    /** An operator reset the breaker inside the cooldown with force. */
    FORCED_RESET,
    /** An operator reset was refused by the cooldown. */
    RESET_DENIED,
    /** An automatic breaker closed after its trial calls succeeded. */
    RECOVERED
}
