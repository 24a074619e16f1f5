package dev.fusebox.jdbc;

import dev.fusebox.FuseboxException;
import java.sql.SQLTransientConnectionException;

/**
 * A statement or connection request refused by a breaker: it did not reach the database.
 * SQLState 08000 (a connection exception), so code that treats the database as unavailable on
 * class 08 does the right thing; {@link #rejection()} says which breaker and why.
 */
public final class BreakerRejectedSQLException extends SQLTransientConnectionException {

    private static final long serialVersionUID = 1L;

    BreakerRejectedSQLException(FuseboxException rejection) {
        super(rejection.getMessage(), "08000", rejection);
    }

    /** The breaker's rejection: a {@link dev.fusebox.CircuitOpenException} or a {@link dev.fusebox.LoadShedException}. */
    public FuseboxException rejection() {
        return (FuseboxException) getCause();
    }
}
