package dev.fusebox.admin;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.fusebox.BreakerStatus;
import dev.fusebox.StoreHealth;
import dev.fusebox.spi.AuditRecord;
import dev.fusebox.StoreUnavailableException;
import dev.fusebox.CircuitBreaker;
import dev.fusebox.Checks;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.JsonCodec;
import dev.fusebox.RegistryCapacity;
import dev.fusebox.ResetDeniedException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's handlers: they see an {@link ApiRequest} and answer an {@link ApiResponse},
 * whatever HTTP server carries them. Every request gets an answer; a bad one a 4xx with
 * {@code {"error": CODE, "message": ...}}. Thread-safe.
 */
final class AdminApi {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final Logger LOG = LoggerFactory.getLogger("dev.fusebox.admin");

    /** The body of trip and reset. */
    record ActionBody(String reason, Boolean force) {
    }

    private final CircuitBreakerRegistry breakers;
    private final PrometheusMeterRegistry prometheus;
    private final Tokens tokens;
    private final History history;
    /**
     * Bodies are read as typed: a reason is a JSON string and force a JSON boolean, never a number
     * or a string that looks like one (null stands for a field not given); a field given twice is
     * refused, not the last one taken.
     */
    private final ObjectMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
            .build();

    AdminApi(CircuitBreakerRegistry breakers, PrometheusMeterRegistry prometheus, Tokens tokens, History history) {
        this.breakers = breakers;
        this.prometheus = prometheus;
        this.tokens = tokens;
        this.history = history;
    }

    ApiResponse handle(ApiRequest request) {
        try {
            return route(request);
        } catch (ApiError e) {
            return error(e);
        } catch (StoreUnavailableException e) {
            return error(new ApiError(503, "STORE_UNAVAILABLE", e.getMessage()));
        } catch (RuntimeException e) {
            return failed(request, e);
        }
    }

    /**
     * A defect, not a bad request: logs it and answers a 500 without a stack trace. The log names
     * the request by its method and path, each cut to 100 characters, and never its query string,
     * which may hold anything a client sent.
     */
    ApiResponse failed(ApiRequest request, Throwable failure) {
        LOG.error("Admin request " + Paths.printable(request.method()) + " " + Paths.printable(request.rawPath())
                + " failed", failure);
        return error(new ApiError(500, "INTERNAL", "the request failed; see the server log"));
    }

    /**
     * The lane that answers {@code r}: a trip or a reset waits for the store, and so does the audit
     * trail, in a lane of its own; a metrics scrape is long; the rest (health, status, and every
     * error) is answered from memory.
     */
    Lanes.Lane lane(ApiRequest r) {
        if (r.bodyTooLarge()) {
            return Lanes.Lane.MEMORY;
        }
        if (r.method().equals("POST")) {
            return Lanes.Lane.STORE;
        }
        try {
            List<String> path = Paths.segments(r.rawPath());
            if (isMetrics(path)) {
                return Lanes.Lane.SCRAPE;
            }
            return !path.isEmpty() && path.get(path.size() - 1).equals("audit") ? Lanes.Lane.AUDIT : Lanes.Lane.MEMORY;
        } catch (ApiError malformed) {
            return Lanes.Lane.MEMORY;
        }
    }

    private static boolean isMetrics(List<String> path) {
        return path.equals(List.of("metrics")) || path.equals(List.of("api", "metrics"));
    }

    private ApiResponse route(ApiRequest r) {
        if (r.bodyTooLarge()) {
            throw new ApiError(413, "BODY_TOO_LARGE", "request bodies are limited to " + AdminServer.MAX_BODY_BYTES
                    + " bytes");
        }
        List<String> path = Paths.segments(r.rawPath());
        String method = r.method();
        if (isMetrics(path)) {
            requireMethod(method, "GET");
            // Written as bytes at once: with thousands of breakers the text is megabytes, and a
            // String in between would be copied twice more.
            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
            try {
                prometheus.scrape(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // not from a ByteArrayOutputStream
            }
            return new ApiResponse(200, PROMETHEUS_TEXT, out.toByteArray());
        }
        if (path.equals(List.of("health"))) {
            requireMethod(method, "GET");
            Map<String, Object> health = health();
            return ApiResponse.json("failed".equals(health.get("status")) ? 503 : 200, write(health));
        }
        if (path.equals(List.of("api", "audit"))) {
            requireMethod(method, "GET");
            return ok(breakers.audit(null, Paths.limit(r.param("limit"))).stream().map(JsonCodec::audit).toList());
        }
        if (path.equals(List.of("api", "whoami"))) {
            requireMethod(method, "GET");
            return ok(Map.of("user", authenticate(r)));
        }
        if (path.size() >= 2 && path.get(0).equals("api") && path.get(1).equals("breakers")) {
            return breakers(method, path.subList(2, path.size()), r);
        }
        throw new ApiError(404, "NOT_FOUND", "no such endpoint: " + Paths.printable(r.rawPath()));
    }

    private ApiResponse breakers(String method, List<String> rest, ApiRequest r) {
        if (rest.isEmpty()) {
            requireMethod(method, "GET");
            return ok(breakers.statusAll().stream().map(JsonCodec::status).toList());
        }
        String key = Paths.key(rest.get(0));
        if (rest.size() == 1) {
            requireMethod(method, "GET");
            return ok(JsonCodec.status(known(key).status()));
        }
        if (rest.size() == 2) {
            switch (rest.get(1)) {
                case "audit" -> {
                    requireMethod(method, "GET");
                    int limit = Paths.limit(r.param("limit"));
                    // A breaker no longer in memory (idle eviction, a restart) still has its trail.
                    List<AuditRecord> trail = breakers.audit(key, limit);
                    if (trail.isEmpty()) {
                        known(key);
                    }
                    return ok(trail.stream().map(JsonCodec::audit).toList());
                }
                case "history" -> {
                    requireMethod(method, "GET");
                    known(key);
                    return ok(history.columns(key));
                }
                case "trip-evidence" -> {
                    requireMethod(method, "GET");
                    return ok(known(key).tripEvidence().stream().map(JsonCodec::failure).toList());
                }
                case "trip" -> {
                    requireMethod(method, "POST");
                    String user = authenticate(r);
                    ActionBody body = body(r);
                    return ok(JsonCodec.action(breakers.trip(key, body.reason(), user)));
                }
                case "reset" -> {
                    requireMethod(method, "POST");
                    String user = authenticate(r);
                    ActionBody body = body(r);
                    CircuitBreaker breaker = known(key);
                    try {
                        return ok(JsonCodec.action(breaker.reset(body.reason(), user, Boolean.TRUE.equals(body.force()))));
                    } catch (ResetDeniedException e) {
                        throw new ApiError(409, "RESET_DENIED", e.getMessage(),
                                Map.of("retryAfterMs", e.retryAfterMillis()));
                    }
                }
                default -> {
                    // fall through to 404
                }
            }
        }
        throw new ApiError(404, "NOT_FOUND", "no such endpoint: " + Paths.printable(r.rawPath()));
    }

    private CircuitBreaker known(String key) {
        return breakers.find(key).orElseThrow(() -> new ApiError(404, "UNKNOWN_BREAKER", "no breaker '" + key + "'"));
    }

    private String authenticate(ApiRequest r) {
        Optional<String> user = tokens.userFor(r.authorization());
        if (user.isEmpty()) {
            throw new ApiError(401, "UNAUTHORIZED", r.authorization() == null
                    ? "this endpoint needs Authorization: Bearer TOKEN" : "the token is not valid");
        }
        return user.get();
    }

    private ActionBody body(ApiRequest r) {
        if (r.body().length == 0) {
            throw ApiError.badRequest("expected a JSON body: {\"reason\": \"...\", \"force\": false}");
        }
        ActionBody body;
        try {
            body = json.readValue(r.body(), ActionBody.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ApiError(400, "UNKNOWN_FIELD", "unknown field '" + Paths.printable(e.getPropertyName())
                    + "'; expected reason and force");
        } catch (JsonProcessingException e) {
            // Jackson's own messages name Java types ("java.lang.Boolean"): the client gets ours.
            throw new ApiError(400, "MALFORMED_JSON", bodyProblem(e));
        } catch (IOException e) {
            throw new ApiError(400, "MALFORMED_JSON", "the body could not be read");
        }
        if (body == null || body.reason() == null || body.reason().isBlank()) {
            throw new ApiError(400, "MISSING_REASON", "a reason is required");
        }
        try {
            Checks.operatorText("reason", body.reason(), 1000); // also a lone surrogate: no database takes it
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "INVALID_REASON", e.getMessage());
        }
        return body;
    }

    /** What is wrong with a trip or reset body, in words for the client. */
    private static String bodyProblem(JsonProcessingException e) {
        String field = e instanceof JsonMappingException m && !m.getPath().isEmpty()
                ? m.getPath().get(m.getPath().size() - 1).getFieldName() : null;
        if (e instanceof MismatchedInputException && "reason".equals(field)) {
            return "reason must be a JSON string";
        }
        if (e instanceof MismatchedInputException && "force".equals(field)) {
            return "force must be a JSON boolean: true or false";
        }
        if (e instanceof MismatchedInputException) {
            return "the body must be a JSON object: {\"reason\": \"...\", \"force\": false}";
        }
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith("Duplicate field '")) {
            // STRICT_DUPLICATE_DETECTION's message; the name is the client's own text
            return "field '" + Paths.printable(message.substring("Duplicate field '".length()).replaceAll("'$", ""))
                    + "' is given more than once";
        }
        JsonLocation at = e.getLocation();
        return at == null ? "the body is not valid JSON"
                : "the body is not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /**
     * Overall status ({@code healthy}, {@code degraded} when a breaker is tripped, the store is
     * down or calls ran without a breaker in the last minute because the registry was full,
     * {@code failed} with HTTP 503 when the stored state could not be read and breakers refuse
     * calls), each breaker's state, failures and failure rate, the store's health and how full the
     * registry is. All from memory: it never waits for the store.
     */
    private Map<String, Object> health() {
        List<BreakerStatus> all = breakers.statusAll();
        StoreHealth storeHealth = breakers.storeHealth();
        boolean anyTripped = all.stream().anyMatch(BreakerStatus::tripped);
        Map<String, Object> circuits = new LinkedHashMap<>();
        Map<String, Object> states = new LinkedHashMap<>();
        for (BreakerStatus s : all) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("state", s.state().name());
            c.put("failures", s.failures());
            c.put("failureRate", s.failureRate());
            c.put("tripped", s.tripped());
            circuits.put(s.key(), c);
            states.put(s.key(), s.state().name());
        }
        RegistryCapacity capacity = breakers.capacity();
        Instant now = Instant.ofEpochMilli(breakers.clock().wallMillis());
        boolean overflowing = capacity.overflowing(now);
        Map<String, Object> registry = new LinkedHashMap<>();
        registry.put("breakers", capacity.breakers());
        registry.put("named", capacity.named());
        registry.put("maxBreakers", capacity.maxBreakers());
        registry.put("evicted", capacity.evicted());
        registry.put("overflowCalls", capacity.overflowCalls());
        registry.put("overflowing", overflowing);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", storeHealth.status() == StoreHealth.Status.FAILED ? "failed"
                : anyTripped || overflowing || storeHealth.status() == StoreHealth.Status.DOWN ? "degraded"
                : "healthy");
        m.put("timestamp", now.toString());
        m.put("circuits", circuits);
        m.put("store", EventJson.store(storeHealth));
        m.put("registry", registry);
        m.put("services", Map.of("circuitBreakers", states));
        return m;
    }

    private static void requireMethod(String method, String allowed) {
        if (!allowed.equals(method)) {
            throw new ApiError(405, "METHOD_NOT_ALLOWED", "use " + allowed);
        }
    }

    private ApiResponse ok(Object body) {
        return ApiResponse.json(200, write(body));
    }

    ApiResponse error(ApiError e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", e.code);
        m.put("message", e.getMessage());
        if (e.extra instanceof Map<?, ?> extra) {
            extra.forEach((k, v) -> m.put(String.valueOf(k), v));
        }
        return ApiResponse.json(e.status, write(m));
    }

    private String write(Object body) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            json.writeValue(out, body);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("maps of strings and numbers always serialise", e);
        }
    }
}
