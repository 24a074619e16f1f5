package dev.fusebox;

import dev.fusebox.event.Cause;
import dev.fusebox.spi.AuditAction;
import dev.fusebox.spi.AuditRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON form of a breaker's status, of an audit record and of an operator action's result, the
 * same from every door: the admin API, {@code fusebox status --json} over a store or over HTTP,
 * the Spring Boot endpoint. It works on JSON values held in Java ({@code Map} in field order,
 * {@code String}, {@code Number}, {@code Boolean}, {@code null}), so any JSON library writes and
 * parses the text.
 *
 * <p>The status fields, documented in {@code docs/api/breaker-status.schema.json}: first those of
 * the original service's {@code BookmakerStatus} ({@code bookmaker}, {@code tripped},
 * {@code failures}, {@code failureThreshold}, {@code lastError}, {@code avgLatency} (ms),
 * {@code lastFailureAt}, {@code tripCount}, {@code lastResetAt}, {@code lastResetBy},
 * {@code lastResetReason}), then {@code state}, {@code failureRate}, {@code trippedAt},
 * {@code trippedBy}, {@code tripReason}, {@code tripCause}, {@code nextAttemptAt},
 * {@code recoveryPolicy}, {@code version} and {@code counters}. Every field is always present;
 * an absent value is {@code null}; times are epoch milliseconds.
 *
 * <p>Stateless and thread-safe.
 */
public final class JsonCodec {

    private JsonCodec() {
    }

    /** The status as JSON values, fields in the documented order. */
    public static Map<String, Object> status(BreakerStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bookmaker", s.key());
        m.put("tripped", s.tripped());
        m.put("failures", s.failures());
        m.put("failureThreshold", s.failureThreshold());
        m.put("lastError", s.lastError());
        m.put("avgLatency", s.avgLatencyMs());
        m.put("lastFailureAt", millis(s.lastFailureAt()));
        m.put("tripCount", s.tripCount());
        m.put("lastResetAt", millis(s.lastResetAt()));
        m.put("lastResetBy", s.lastResetBy());
        m.put("lastResetReason", s.lastResetReason());
        m.put("state", s.state().name());
        m.put("failureRate", s.failureRate());
        m.put("trippedAt", millis(s.trippedAt()));
        m.put("trippedBy", s.trippedBy());
        m.put("tripReason", s.tripReason());
        m.put("tripCause", s.tripCause() == null ? null : s.tripCause().name());
        m.put("nextAttemptAt", millis(s.nextAttemptAt()));
        m.put("recoveryPolicy", s.recoveryPolicy().name());
        m.put("version", s.version());
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

    /**
     * The status in {@code json}, as {@link #status(BreakerStatus)} writes it. Fields this
     * version does not know are ignored.
     *
     * @throws IllegalArgumentException naming the first field that is missing or of the wrong type
     */
    public static BreakerStatus status(Map<String, ?> json) {
        State state = enumValue(json, "state", State.class);
        Map<String, ?> counters = object(json, "counters");
        return BreakerStatus.builder(text(json, "bookmaker", false), state)
                .failures(number(json, "failures").doubleValue(), number(json, "failureThreshold").doubleValue())
                .failureRate(number(json, "failureRate").doubleValue())
                .lastFailure(text(json, "lastError", true), instant(json, "lastFailureAt"))
                .avgLatencyMs(nullableNumber(json, "avgLatency"))
                .tripCount(number(json, "tripCount").longValue())
                .trip(instant(json, "trippedAt"), text(json, "trippedBy", true), text(json, "tripReason", true),
                        json.get("tripCause") == null ? null : enumValue(json, "tripCause", Cause.class))
                .nextAttemptAt(instant(json, "nextAttemptAt"))
                .lastReset(instant(json, "lastResetAt"), text(json, "lastResetBy", true),
                        text(json, "lastResetReason", true))
                .recoveryPolicy(enumValue(json, "recoveryPolicy", RecoveryPolicy.class))
                .version(number(json, "version").longValue())
                .calls(count(counters, "calls"), count(counters, "successes"), count(counters, "failures"),
                        count(counters, "timeouts"))
                .refusals(count(counters, "rejections"), count(counters, "sheds"))
                .slowCalls(count(counters, "slowCalls"))
                .resets(count(counters, "resets"))
                .build();
    }

    /** An audit record as JSON values: {@code id, bookmaker, action, reason, user, timestamp}. */
    public static Map<String, Object> audit(AuditRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("bookmaker", r.key());
        m.put("action", r.action().name());
        m.put("reason", r.reason());
        m.put("user", r.user());
        m.put("timestamp", r.atMillis());
        return m;
    }

    /**
     * What an operator's trip or reset did, as the admin API and the Spring Boot endpoint answer it
     * ({@code docs/api/action-result.schema.json}): {@code breaker} (the status after the change),
     * {@code audit} (the stored record) and {@code durable}.
     */
    public static Map<String, Object> action(ActionResult result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("breaker", status(result.status()));
        m.put("audit", audit(result.audit()));
        m.put("durable", result.durable());
        return m;
    }

    /**
     * The audit record in {@code json}, as {@link #audit(AuditRecord)} writes it.
     *
     * @throws IllegalArgumentException naming the first field that is missing or of the wrong type
     */
    public static AuditRecord audit(Map<String, ?> json) {
        return AuditRecord.of(text(json, "bookmaker", false), enumValue(json, "action", AuditAction.class),
                text(json, "user", false), text(json, "reason", false), number(json, "timestamp").longValue())
                .withId(number(json, "id").longValue());
    }

    /** A failure of a breaker's trip evidence: {@code at} (epoch ms), {@code kind} (FAILURE or TIMEOUT), {@code error}, {@code weight}. */
    public static Map<String, Object> failure(RecordedFailure f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", f.at().toEpochMilli());
        m.put("kind", f.outcome().name());
        m.put("error", f.error());
        m.put("weight", f.weight());
        return m;
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    private static Object field(Map<String, ?> json, String name) {
        if (!json.containsKey(name)) {
            throw new IllegalArgumentException("field '" + name + "' is missing");
        }
        return json.get(name);
    }

    private static String text(Map<String, ?> json, String name, boolean nullable) {
        Object v = field(json, name);
        if (v == null && nullable) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("field '" + name + "' must be a string" + (nullable ? " or null" : ""));
        }
        return s;
    }

    private static Number number(Map<String, ?> json, String name) {
        Object v = field(json, name);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("field '" + name + "' must be a number");
        }
        return n;
    }

    private static Double nullableNumber(Map<String, ?> json, String name) {
        return field(json, name) == null ? null : number(json, name).doubleValue();
    }

    private static Instant instant(Map<String, ?> json, String name) {
        return field(json, name) == null ? null : Instant.ofEpochMilli(number(json, name).longValue());
    }

    private static long count(Map<String, ?> json, String name) {
        return number(json, name).longValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> object(Map<String, ?> json, String name) {
        Object v = field(json, name);
        if (!(v instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("field '" + name + "' must be an object");
        }
        return (Map<String, ?>) v;
    }

    private static <E extends Enum<E>> E enumValue(Map<String, ?> json, String name, Class<E> type) {
        String value = text(json, name, false);
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field '" + name + "' has an unknown value '" + value + "'");
        }
    }
}
