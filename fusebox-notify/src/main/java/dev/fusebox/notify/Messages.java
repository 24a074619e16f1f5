package dev.fusebox.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusebox.BreakerStatus;
import dev.fusebox.RecoveryPolicy;
import dev.fusebox.event.Cause;
import dev.fusebox.event.Change;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON bodies: Slack incoming-webhook messages (the breaker log's lines, in Slack's markup)
 * and PagerDuty Events API v2 trigger and resolve events. One PagerDuty incident per breaker: the
 * dedup key is {@code fusebox/<key>}.
 */
final class Messages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final URI runbook;
    private final String routingKey;
    private final String severity;

    /**
     * @param source the service or host named in every message and incident
     * @param runbook a link added to every message and incident, or null
     * @param routingKey the PagerDuty routing key, or null without PagerDuty
     * @param severity the PagerDuty incident severity
     */
    Messages(String source, URI runbook, String routingKey, String severity) {
        this.source = source;
        this.runbook = runbook;
        this.routingKey = routingKey;
        this.severity = severity;
    }

    /** A score as people write it: 10, 9.5. */
    static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(java.util.Locale.ROOT, "%.1f", d);
    }

    static String dedupKey(String key) {
        return "fusebox/" + key;
    }

    /**
     * The line for a trip that begins: who or what tripped it, and how it ends. The change says
     * what caused it; this instance's status adds the numbers it counted.
     */
    byte[] slackTripped(BreakerStatus s, Change c) {
        String key = escape(s.key());
        if (c.cause() == Cause.STATE_UNKNOWN) {
            return slack(new StringBuilder(":rotating_light: *Circuit breaker STATE UNKNOWN: ").append(key)
                    .append("*: it refuses calls until its stored state can be read. Reason: ")
                    .append(escape(c.reason())).append('.'), s);
        }
        StringBuilder text = new StringBuilder(":rotating_light: *Circuit breaker TRIPPED: ").append(key).append('*');
        if (c.cause().byOperator()) {
            text.append(" by ").append(escape(c.user())).append(". Reason: ").append(escape(c.reason())).append('.');
        } else if (c.remote()) {
            // Failures are counted by the instance that saw them: its reason says what it counted.
            text.append(" on another instance: ").append(escape(c.reason())).append('.');
        } else {
            text.append(" after ").append(number(s.failures())).append(" failures. Last error: ")
                    .append(escape(String.valueOf(s.lastError()))).append('.');
        }
        if (s.recoveryPolicy() == RecoveryPolicy.AUTOMATIC && s.nextAttemptAt() != null) {
            text.append(" Trial calls from ").append(s.nextAttemptAt()).append('.');
        } else {
            text.append(" Manual intervention required: `fusebox reset ").append(key).append(" --reason \"...\"`");
        }
        return slack(text, s);
    }

    /**
     * The line for a trip that ends, by what ended it: an operator's reset (here or on another
     * instance), trial calls that succeeded, or the stored state read again after it could not be.
     */
    byte[] slackClosed(BreakerStatus s, Change c) {
        String key = escape(s.key());
        StringBuilder text = new StringBuilder(":white_check_mark: *Circuit breaker ");
        switch (c.cause()) {
            case OPERATOR_RESET, FORCED_RESET -> {
                text.append("RESET: ").append(key).append("* by ").append(escape(c.user())).append(". Reason: ")
                        .append(escape(c.reason())).append('.');
                if (c.cause() == Cause.FORCED_RESET) {
                    text.append(" Forced inside the reset cooldown.");
                }
            }
            case TRIALS_SUCCEEDED -> text.append("RECOVERED: ").append(key).append("*: trial calls succeeded.");
            case STATE_LOADED -> {
                text.append("STATE READ: ").append(key).append("*: calls pass again; the store says it is closed");
                if (!Change.SYSTEM_USER.equals(c.user())) {
                    text.append(", by ").append(escape(c.user()));
                }
                text.append(". Reason: ").append(escape(c.reason())).append('.');
            }
            // No other cause closes a breaker today; a new one is reported with what it says.
            default -> text.append("CLOSED: ").append(key).append("* (").append(c.cause()).append(") by ")
                    .append(escape(c.user())).append(". Reason: ").append(escape(c.reason())).append('.');
        }
        return slack(text, s);
    }

    /** A PagerDuty incident for a trip, or for a breaker whose state is unknown. */
    byte[] pagerDutyTrigger(BreakerStatus s, Change c) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", s.state().name());
        details.put("cause", c.cause().name());
        details.put("failures", s.failures());
        details.put("failureThreshold", s.failureThreshold());
        details.put("lastError", s.lastError());
        details.put("tripCount", s.tripCount());
        details.put("trippedAt", s.trippedAt() == null ? null : s.trippedAt().toString());
        details.put("trippedBy", c.user());
        details.put("tripReason", c.reason());
        details.put("onAnotherInstance", c.remote());
        details.put("recoveryPolicy", s.recoveryPolicy().name());
        details.put("reset", "fusebox reset " + s.key() + " --reason \"...\"");

        boolean unknown = c.cause() == Cause.STATE_UNKNOWN;
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("summary", shorten(summary(s, c), 1024));
        payload.put("source", source);
        payload.put("severity", severity);
        if (s.trippedAt() != null) {
            payload.put("timestamp", s.trippedAt().toString());
        }
        payload.put("component", s.key());
        payload.put("group", "circuit-breakers");
        payload.put("class", unknown ? "circuit_breaker_state_unknown" : "circuit_breaker_tripped");
        payload.put("custom_details", details);

        Map<String, Object> event = new LinkedHashMap<>();
        event.put("routing_key", routingKey);
        event.put("event_action", "trigger");
        event.put("dedup_key", dedupKey(s.key()));
        event.put("payload", payload);
        if (runbook != null) {
            event.put("links", List.of(Map.of("href", runbook.toString(), "text", "Runbook")));
        }
        return write(event);
    }

    private static String summary(BreakerStatus s, Change c) {
        if (c.cause() == Cause.STATE_UNKNOWN) {
            return "Circuit breaker state unknown: " + s.key() + " refuses calls: " + c.reason();
        }
        String trip = "Circuit breaker tripped: " + s.key();
        if (c.cause().byOperator()) {
            return trip + " by " + c.user() + ": " + c.reason();
        }
        return c.remote() ? trip + " on another instance: " + c.reason()
                : trip + " after " + number(s.failures()) + " failures; last error: " + s.lastError();
    }

    byte[] pagerDutyResolve(String key) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("routing_key", routingKey);
        event.put("event_action", "resolve");
        event.put("dedup_key", dedupKey(key));
        return write(event);
    }

    /**
     * A Slack message: {@code text} (the notification's fallback), a section with the line, and
     * the breaker's numbers as fields, so that the channel shows what a dashboard would.
     */
    private byte[] slack(StringBuilder line, BreakerStatus s) {
        String text = shorten(line.toString(), 2900);
        List<Map<String, Object>> fields = List.of(
                mrkdwn("*Breaker:* " + escape(s.key())),
                mrkdwn("*State:* " + s.state()),
                mrkdwn("*Failures:* " + number(s.failures()) + " of " + number(s.failureThreshold())),
                mrkdwn("*Failure rate:* " + Math.round(s.failureRate() * 1000) / 10.0 + "%"),
                mrkdwn("*Trips:* " + s.tripCount()),
                mrkdwn("*Source:* " + escape(source)));
        List<Map<String, Object>> blocks = new java.util.ArrayList<>(List.of(
                Map.of("type", "section", "text", mrkdwn(text)),
                Map.of("type", "section", "fields", fields)));
        if (runbook != null) {
            blocks.add(Map.of("type", "context", "elements", List.of(mrkdwn("<" + runbook + "|Runbook>"))));
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("text", text + " _(" + escape(source) + ")_");
        message.put("blocks", blocks);
        return write(message);
    }

    private static Map<String, Object> mrkdwn(String text) {
        return Map.of("type", "mrkdwn", "text", shorten(text, 1900));
    }

    /** Slack's three control characters; everything else is plain text. */
    static String escape(String text) {
        if (text == null) {
            return "-";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    private static byte[] write(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings and numbers always serialise", e);
        }
    }
}
