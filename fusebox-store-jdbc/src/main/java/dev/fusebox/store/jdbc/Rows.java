package dev.fusebox.store.jdbc;

import dev.fusebox.State;
import dev.fusebox.event.Cause;
import dev.fusebox.spi.AuditAction;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.spi.BreakerSnapshot;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;

/** Reads and writes rows in the column order of {@link Dialect#STATE_COLUMNS}. */
final class Rows {

    private Rows() {
    }

    /** Binds the {@link Dialect#STATE_COLUMN_COUNT} columns; returns the next parameter index. */
    static int bind(PreparedStatement ps, BreakerSnapshot s, String origin) throws SQLException {
        int i = 1;
        ps.setString(i++, s.key());
        ps.setString(i++, s.state().name());
        ps.setInt(i++, s.state().isTripped() ? 1 : 0);
        ps.setDouble(i++, s.failureScore());
        ps.setString(i++, s.lastError());
        setTime(ps, i++, s.lastFailureAt());
        ps.setLong(i++, s.tripCount());
        setTime(ps, i++, s.trippedAt());
        ps.setString(i++, s.trippedBy());
        ps.setString(i++, s.tripReason());
        ps.setInt(i++, s.manualTrip() ? 1 : 0);
        setTime(ps, i++, s.nextAttemptAt());
        ps.setInt(i++, s.openLevel());
        setTime(ps, i++, s.lastResetAt());
        ps.setString(i++, s.lastResetBy());
        ps.setString(i++, s.lastResetReason());
        if (s.avgLatencyMs() >= 0) {
            ps.setDouble(i++, s.avgLatencyMs());
        } else {
            ps.setNull(i++, Types.DOUBLE);
        }
        ps.setLong(i++, s.updatedAt());
        ps.setLong(i++, s.stateChangedAt());
        ps.setString(i++, origin);
        ps.setLong(i++, s.version());
        ps.setString(i++, s.cause().name());
        if (s.changeId() != 0) {
            ps.setLong(i++, s.changeId());
        } else {
            ps.setNull(i++, Types.BIGINT);
        }
        return i;
    }

    /**
     * The snapshot in the current row. NULLs become "never" or defaults. A row whose state cannot
     * be read comes back as an open breaker whose state is unknown, so that it fails closed: it
     * refuses calls until an operator resets it.
     *
     * @throws BadRowException for a row without a key: no breaker can be named for it
     */
    static BreakerSnapshot read(ResultSet rs) throws SQLException {
        String key = rs.getString("bookmaker");
        if (key == null || key.isBlank()) {
            throw new BadRowException("a row without a key");
        }
        String stateName = rs.getString("state");
        State state = parseState(stateName, rs.getInt("tripped") != 0);
        double latency = rs.getDouble("avg_latency");
        boolean noLatency = rs.wasNull();
        BreakerSnapshot.Builder b = BreakerSnapshot.builder(key, state == null ? State.OPEN : state)
                .version(Math.max(0, rs.getLong("version")))
                .cause(Cause.parse(rs.getString("change_cause"), null))
                .manualTrip(rs.getInt("manual_trip") != 0)
                .score(Math.max(0, rs.getDouble("failure_count")))
                .lastFailure(rs.getString("last_error"), rs.getLong("last_failure_at"))
                .tripCount(Math.max(0, rs.getLong("trip_count")))
                .trip(rs.getLong("tripped_at"), rs.getString("tripped_by"), rs.getString("trip_reason"))
                .recovery(rs.getLong("next_attempt_at"), Math.max(0, rs.getInt("open_level")))
                .lastReset(rs.getLong("last_reset_at"), rs.getString("last_reset_by"), rs.getString("last_reset_reason"))
                .avgLatencyMs(noLatency ? -1 : latency)
                .times(rs.getLong("updated_at"), rs.getLong("state_changed_at"))
                .changeId(rs.getLong("change_id"));
        if (state == null) {
            b.cause(Cause.STATE_UNKNOWN).trip(rs.getLong("tripped_at"), null, "stored state unreadable: row has state '"
                    + printable(stateName) + "' (expected CLOSED, OPEN or HALF_OPEN); reset it to close the breaker");
        }
        return b.build();
    }

    private static State parseState(String name, boolean tripped) {
        if (name == null) {
            return tripped ? State.OPEN : State.CLOSED;
        }
        try {
            return State.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static AuditRecord readAudit(ResultSet rs) throws SQLException {
        String action = rs.getString("action");
        AuditAction parsed;
        try {
            parsed = AuditAction.valueOf(action);
        } catch (IllegalArgumentException | NullPointerException e) {
            // Older rows say TRIP and RESET; anything else is shown as what it is closest to.
            parsed = action != null && action.toUpperCase(Locale.ROOT).contains("RESET") ? AuditAction.RESET
                    : AuditAction.TRIP;
        }
        String user = rs.getString("user");
        return AuditRecord.of(rs.getString("bookmaker"), parsed, user == null ? "unknown" : user,
                rs.getString("reason"), rs.getLong("timestamp")).withId(rs.getLong("id"));
    }

    private static void setTime(PreparedStatement ps, int index, long millis) throws SQLException {
        if (millis > 0) {
            ps.setLong(index, millis);
        } else {
            ps.setNull(index, Types.BIGINT);
        }
    }

    private static String printable(String s) {
        String p = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return p.replaceAll("\\p{Cntrl}", "?");
    }

    /** A stored row that cannot be turned into a breaker. */
    static final class BadRowException extends SQLException {
        private static final long serialVersionUID = 1L;

        BadRowException(String message) {
            super(message);
        }
    }
}
