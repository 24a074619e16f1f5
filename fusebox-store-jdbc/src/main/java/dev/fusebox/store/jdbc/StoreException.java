package dev.fusebox.store.jdbc;

/**
 * A store operation failed (database unreachable, disk full, schema newer than this code). The
 * registry catches it, keeps the breakers working in memory and retries the write later.
 */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
