package dev.fusebox;

import java.time.Instant;
import java.util.Objects;

/**
 * Whether a registry's store works, from what the registry saw: its last writes, a check of the
 * connection (and of the change feed, for a shared store) every few seconds, and whether the
 * stored state could be read at all.
 *
 * @param status {@link Status#UP}, {@link Status#DOWN} or {@link Status#FAILED}
 * @param problem what is wrong, or null when up
 * @param since when the current status began
 * @param pendingWrites state changes and audit records waiting to be written
 */
public record StoreHealth(Status status, String problem, Instant since, long pendingWrites) {

    /** How the store is. */
    public enum Status {
        /** The store answers and writes work. */
        UP,
        /**
         * The store does not answer, a write failed, or the change feed is disconnected. Breakers
         * keep working in memory; automatic changes are retried; operator actions are refused.
         */
        DOWN,
        /**
         * The stored state could not be read: breakers refuse calls until it can be (unless the
         * registry was told otherwise, see {@link RegistryBuilder#whenStateUnreadable}).
         */
        FAILED
    }

    /** Checks the required fields. */
    public StoreHealth {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(since, "since");
    }
}
