package dev.fusebox.spring.actuate;

import dev.fusebox.Checks;
import dev.fusebox.CircuitBreaker;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.JsonCodec;
import dev.fusebox.ResetDeniedException;
import dev.fusebox.StoreUnavailableException;
import dev.fusebox.spi.AuditRecord;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.lang.Nullable;

/**
 * {@code /actuator/fusebox}: the breakers, in the admin API's JSON ({@link JsonCodec}), and the
 * operator's trip and reset.
 *
 * <ul>
 *   <li>{@code GET /actuator/fusebox}: every breaker's status, sorted by key.
 *   <li>{@code GET /actuator/fusebox/{key}}: one breaker's status; 404 {@code UNKNOWN_BREAKER}.
 *   <li>{@code GET /actuator/fusebox/{key}/audit}: its audit trail from the store, newest first (100
 *       records), also for a breaker no longer in memory; 404 {@code UNKNOWN_BREAKER} for a key
 *       neither in memory nor in the trail.
 *   <li>{@code POST /actuator/fusebox/{key}/trip} and {@code .../reset} with
 *       {@code {"reason": "...", "force": false}}: the action's result, audited under the name of
 *       the request's authenticated principal (Spring Security's, or the servlet container's);
 *       409 {@code RESET_DENIED} inside the cooldown, 503 {@code STORE_UNAVAILABLE} when the store
 *       did not take it (then nothing changed), 401 {@code UNAUTHORIZED} without a principal
 *       unless {@code fusebox.endpoint.anonymous-user} names one.
 * </ul>
 *
 * Errors have the admin API's shape, {@code {"error": CODE, "message": ...}}. A key with a
 * {@code /} cannot be named in the path (Tomcat refuses {@code %2F}); the admin API can. Thread-safe.
 */
@WebEndpoint(id = "fusebox")
public class FuseboxEndpoint {

    /** Audit records {@code .../audit} returns. */
    static final int AUDIT_LIMIT = 100;

    private final CircuitBreakerRegistry registry;
    private final String anonymousUser;

    /**
     * @param anonymousUser the audit name of a request without a principal, or null to refuse it
     */
    public FuseboxEndpoint(CircuitBreakerRegistry registry, @Nullable String anonymousUser) {
        this.registry = registry;
        this.anonymousUser = anonymousUser == null || anonymousUser.isBlank() ? null : anonymousUser;
    }

    /** Every breaker's status, sorted by key. */
    @ReadOperation
    public List<Map<String, Object>> breakers() {
        return registry.statusAll().stream().map(JsonCodec::status).toList();
    }

    /** One breaker's status. */
    @ReadOperation
    public WebEndpointResponse<Map<String, Object>> breaker(@Selector String key) {
        return known(key).map(b -> ok(JsonCodec.status(b.status()))).orElseGet(() -> unknown(key));
    }

    /** One breaker's audit trail, newest first, whether or not the breaker is in memory. */
    @ReadOperation
    public WebEndpointResponse<Object> audit(@Selector String key, @Selector String what) {
        if (!what.equals("audit")) {
            return cast(error(404, "NOT_FOUND", "no such endpoint: use " + key + "/audit"));
        }
        try {
            // From the store: a breaker dropped from memory (idle, or not used since a restart) keeps its trail.
            List<AuditRecord> records = registry.audit(key, AUDIT_LIMIT);
            if (records.isEmpty() && known(key).isEmpty()) {
                return cast(unknown(key));
            }
            return new WebEndpointResponse<>(records.stream().map(JsonCodec::audit).toList());
        } catch (StoreUnavailableException e) {
            return cast(error(503, "STORE_UNAVAILABLE", e.getMessage()));
        }
    }

    /**
     * Trips or resets one breaker: {@code action} is {@code trip} or {@code reset}.
     *
     * @param force resets inside the cooldown (audited as a forced reset)
     */
    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> act(@Selector String key, @Selector String action,
                                                        @Nullable String reason, @Nullable Boolean force,
                                                        SecurityContext security) {
        if (!action.equals("trip") && !action.equals("reset")) {
            return error(404, "NOT_FOUND", "no such action '" + action + "': use trip or reset");
        }
        try {
            Checks.key(key);
        } catch (IllegalArgumentException e) {
            return error(400, "INVALID_KEY", e.getMessage());
        }
        String user = user(security.getPrincipal());
        if (user == null) {
            return error(401, "UNAUTHORIZED", "trips and resets are audited under the caller's name, and this request"
                    + " has no authenticated principal");
        }
        if (reason == null || reason.isBlank()) {
            return error(400, "MISSING_REASON", "a reason is required");
        }
        try {
            Checks.operatorText("reason", reason, 1000);
        } catch (IllegalArgumentException e) {
            return error(400, "INVALID_REASON", e.getMessage());
        }
        try {
            if (action.equals("trip")) {
                return ok(JsonCodec.action(registry.trip(key, reason, user)));
            }
            Optional<CircuitBreaker> breaker = known(key);
            if (breaker.isEmpty()) {
                return unknown(key);
            }
            return ok(JsonCodec.action(breaker.get().reset(reason, user, Boolean.TRUE.equals(force))));
        } catch (ResetDeniedException e) {
            WebEndpointResponse<Map<String, Object>> denied = error(409, "RESET_DENIED", e.getMessage());
            denied.getBody().put("retryAfterMs", e.retryAfterMillis());
            return denied;
        } catch (StoreUnavailableException e) {
            return error(503, "STORE_UNAVAILABLE", e.getMessage());
        } catch (IllegalArgumentException e) {
            return error(400, "BAD_REQUEST", e.getMessage()); // a principal's name the audit trail cannot take
        }
    }

    private String user(@Nullable Principal principal) {
        if (principal != null && principal.getName() != null && !principal.getName().isBlank()) {
            return principal.getName();
        }
        return anonymousUser;
    }

    private Optional<CircuitBreaker> known(String key) {
        return registry.find(key);
    }

    private static <T> WebEndpointResponse<T> ok(T body) {
        return new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_OK);
    }

    private static WebEndpointResponse<Map<String, Object>> unknown(String key) {
        return error(404, "UNKNOWN_BREAKER", "no breaker '" + key + "'");
    }

    private static WebEndpointResponse<Map<String, Object>> error(int status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return new WebEndpointResponse<>(body, status);
    }

    private static WebEndpointResponse<Object> cast(WebEndpointResponse<Map<String, Object>> response) {
        return new WebEndpointResponse<>(response.getBody(), response.getStatus());
    }
}
