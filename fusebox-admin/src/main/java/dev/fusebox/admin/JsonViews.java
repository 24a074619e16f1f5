package dev.fusebox.admin;

import dev.fusebox.BreakerStatus;
import dev.fusebox.spi.AuditRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes of the API, as maps in a fixed field order. Times are epoch milliseconds. */
final class JsonViews {

    private JsonViews() {
    }

    /** Seed 002's {@code BookmakerStatus}, plus state and counters. */
    static Map<String, Object> status(BreakerStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bookmaker", s.key());
        m.put("state", s.state().name());
        m.put("tripped", s.tripped());
        m.put("failures", s.failures());
        m.put("failureThreshold", s.failureThreshold());
        m.put("failureRate", s.failureRate());
        m.put("lastError", s.lastError());
        m.put("avgLatency", s.avgLatencyMs());
        m.put("lastFailureAt", millis(s.lastFailureAt()));
        m.put("tripCount", s.tripCount());
        m.put("trippedAt", millis(s.trippedAt()));
        m.put("trippedBy", s.trippedBy());
        m.put("tripReason", s.tripReason());
        m.put("nextAttemptAt", millis(s.nextAttemptAt()));
        m.put("lastResetAt", millis(s.lastResetAt()));
        m.put("lastResetBy", s.lastResetBy());
        m.put("lastResetReason", s.lastResetReason());
        m.put("recoveryPolicy", s.recoveryPolicy().name());
        Map<String, Object> counters = new LinkedHashMap<>();
        counters.put("calls", s.calls());
        counters.put("successes", s.successes());
        counters.put("failures", s.failedCalls());
        counters.put("timeouts", s.timeouts());
        counters.put("rejections", s.rejections());
        counters.put("sheds", s.sheds());
        counters.put("slowCalls", s.slowCalls());
        counters.put("resets", s.resets());
        m.put("counters", counters);
        return m;
    }

    static Map<String, Object> audit(AuditRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("bookmaker", r.key());
        m.put("action", r.action().name());
        m.put("reason", r.reason());
        m.put("user", r.user());
        m.put("timestamp", r.atMillis());
        return m;
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
