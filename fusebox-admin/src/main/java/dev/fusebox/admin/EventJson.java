package dev.fusebox.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.fusebox.BreakerStatus;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.StoreHealth;
import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.Change;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The frames of {@code GET /api/events} (Server-Sent Events): {@code event: NAME}, one line of
 * {@code data:} holding a JSON object, and a blank line. The names and fields are documented in
 * {@code docs/api/events.md}; breakers are named by {@code bookmaker}, as in the status JSON, and
 * times are epoch milliseconds. Stateless and thread-safe.
 */
final class EventJson {

    /** A comment line: ignored by clients, it shows proxies and dead-peer checks that the stream lives. */
    static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private EventJson() {
    }

    /**
     * The first frame: how long a client waits before reconnecting ({@code retry}), and
     * {@code hello} with the server's time, the summary interval and how much history it keeps.
     */
    static byte[] hello(long atMillis, boolean summaries) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", atMillis);
        m.put("summaries", summaries);
        m.put("intervalMs", 1000);
        m.put("historySeconds", History.SAMPLES);
        return ("retry: 2000\n" + text("hello", m)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A change of one breaker: {@code state}, {@code trip}, {@code reset} or {@code reset-denied};
     * null for call events.
     */
    static byte[] of(BreakerEvent event) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bookmaker", event.key());
        m.put("at", event.atMillis());
        String name;
        if (event instanceof BreakerEvent.StateChanged e) {
            name = "state";
            m.put("from", e.from().name());
            m.put("to", e.to().name());
            change(m, e.change());
            m.put("version", e.change().version());
        } else if (event instanceof BreakerEvent.Tripped e) {
            name = "trip";
            change(m, e.change());
            m.put("failures", e.failures());
            m.put("tripCount", e.tripCount());
        } else if (event instanceof BreakerEvent.Reset e) {
            name = "reset";
            change(m, e.change());
            m.put("forced", e.forced());
        } else if (event instanceof BreakerEvent.ResetDenied e) {
            name = "reset-denied";
            m.put("user", e.user());
            m.put("reason", e.reason());
            m.put("retryAfterMs", e.retryAfterMillis());
        } else {
            return null;
        }
        return frame(name, m);
    }

    private static void change(Map<String, Object> m, Change change) {
        m.put("cause", change.cause().name());
        m.put("user", change.user());
        m.put("reason", change.reason());
        m.put("remote", change.remote());
    }

    /** {@code breaker-added} or {@code breaker-removed}. */
    static byte[] membership(boolean added, String key, long atMillis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bookmaker", key);
        m.put("at", atMillis);
        return frame(added ? "breaker-added" : "breaker-removed", m);
    }

    /**
     * {@code summary}, once a second: the system load against the shed threshold, calls in flight,
     * the store's health, the number of breakers, and each breaker that was active in this second or the one before
     * (breakers not listed had no calls, no score and were closed).
     */
    static byte[] summary(CircuitBreakerRegistry registry, long atMillis, int breakers, List<History.Second> seconds) {
        List<Map<String, Object>> list = new ArrayList<>(seconds.size());
        for (History.Second s : seconds) {
            BreakerStatus status = s.status();
            Map<String, Object> perSecond = new LinkedHashMap<>();
            for (int c = 0; c < s.perSecond().length; c++) {
                perSecond.put(BreakerHistory.COUNTERS.get(c), s.perSecond()[c]);
            }
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("bookmaker", s.key());
            b.put("state", status.state().name());
            b.put("failures", status.failures());
            b.put("failureThreshold", status.failureThreshold());
            Double latency = s.avgLatencyMs();
            b.put("avgLatency", latency == null ? null : Math.round(latency * 1000) / 1000.0); // to the µs
            b.put("perSecond", perSecond);
            list.add(b);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", atMillis);
        m.put("load", finite(registry.currentLoad()));
        m.put("loadShedThreshold", registry.loadShedThreshold());
        m.put("inFlightCalls", registry.inFlightCalls());
        m.put("store", store(registry.storeHealth()));
        m.put("breakerCount", breakers);
        m.put("breakers", list);
        return frame("summary", m);
    }

    /** The store's health as {@code /health} and the summaries show it. */
    static Map<String, Object> store(StoreHealth health) {
        Map<String, Object> store = new LinkedHashMap<>();
        store.put("status", health.status().name().toLowerCase(Locale.ROOT));
        store.put("problem", health.problem());
        store.put("since", health.since().toString());
        store.put("pendingWrites", health.pendingWrites());
        return store;
    }

    /** JSON has no NaN: a load probe that failed reads as 0. */
    private static double finite(double d) {
        return Double.isFinite(d) ? d : 0;
    }

    private static byte[] frame(String name, Map<String, Object> data) {
        return text(name, data).getBytes(StandardCharsets.UTF_8);
    }

    private static String text(String name, Map<String, Object> data) {
        try {
            // Jackson writes no line breaks (those inside strings are escaped): one data line.
            return "event: " + name + "\ndata: " + JSON.writeValueAsString(data) + "\n\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings and numbers always serialise", e);
        }
    }
}
