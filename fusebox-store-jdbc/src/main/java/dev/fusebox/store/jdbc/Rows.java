package dev.fusebox.store.jdbc;

import dev.fusebox.State;
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

    static void bind(PreparedStatement ps, BreakerSnapshot s, String origin) throws SQLException {
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
        ps.setString(i, origin);
    }

    /**
     * The snapshot in the current row. NULLs become "never" or defaults.
     *
     * @throws BadRowException for a row that cannot be a breaker (unknown state, missing key)
     */
    static BreakerSnapshot read(ResultSet rs) throws SQLException {
        String key = rs.getString("bookmaker");
        if (key == null || key.isBlank()) {
            throw new BadRowException("a row without a key");
        }
        String stateName = rs.getString("state");
        State state;
        try {
            state = stateName == null ? (rs.getInt("tripped") != 0 ? State.OPEN : State.CLOSED)
                    : State.valueOf(stateName.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRowException("row '" + key + "' has unknown state '" + stateName
                    + "' (expected CLOSED, OPEN or HALF_OPEN)");
        }
        double latency = rs.getDouble("avg_latency");
        boolean noLatency = rs.wasNull();
        return new BreakerSnapshot(key, state, Math.max(0, rs.getDouble("failure_count")), rs.getString("last_error"),
                rs.getLong("last_failure_at"), Math.max(0, rs.getLong("trip_count")), rs.getLong("tripped_at"),
                rs.getString("tripped_by"), rs.getString("trip_reason"), rs.getInt("manual_trip") != 0,
                rs.getLong("next_attempt_at"), Math.max(0, rs.getInt("open_level")), rs.getLong("last_reset_at"),
                rs.getString("last_reset_by"), rs.getString("last_reset_reason"), noLatency ? -1 : latency,
                rs.getLong("updated_at"), rs.getLong("state_changed_at"));
    }

    static AuditRecord readAudit(ResultSet rs) throws SQLException {
        String action = rs.getString("action");
        AuditAction parsed;
        try {
            parsed = AuditAction.valueOf(action);
        } catch (IllegalArgumentException | NullPointerException e) {
            // The seed wrote TRIP and RESET; anything else is shown as what it is closest to.
            parsed = action != null && action.toUpperCase(Locale.ROOT).contains("RESET") ? AuditAction.RESET
                    : AuditAction.TRIP;
        }
        String user = rs.getString("user");
        return new AuditRecord(rs.getLong("id"), rs.getString("bookmaker"), parsed, rs.getString("reason"),
                user == null ? "unknown" : user, rs.getLong("timestamp"));
    }

    private static void setTime(PreparedStatement ps, int index, long millis) throws SQLException {
        if (millis > 0) {
            ps.setLong(index, millis);
        } else {
            ps.setNull(index, Types.BIGINT);
        }
    }

    /** A stored row that cannot be turned into a breaker. */
    static final class BadRowException extends SQLException {
        private static final long serialVersionUID = 1L;

        BadRowException(String message) {
            super(message);
        }
    }
}
