package dev.fusebox.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusebox.ActionResult;
import dev.fusebox.BreakerStatus;
import dev.fusebox.JsonCodec;
import dev.fusebox.spi.AuditRecord;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Commands against a running admin API ({@code --url}); the token's user is the one audited.
 * Statuses and audit records are read with {@link JsonCodec}, so they print exactly as over a store.
 */
final class ApiBackend implements Backend {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final TypeReference<List<Map<String, Object>>> ARRAY = new TypeReference<>() {
    };
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();

    ApiBackend(String url, String token) {
        try {
            URI u = URI.create(url.endsWith("/") ? url : url + "/");
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getHost() == null) {
                throw new IllegalArgumentException("expected http:// or https://");
            }
            this.base = u;
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, "--url '" + url + "' is not an http(s) URL with a host", e);
        }
        this.token = token;
    }

    @Override
    public List<BreakerStatus> statusAll() {
        return read(send("GET", "api/breakers", null), ARRAY).stream().map(ApiBackend::status).toList();
    }

    @Override
    public Optional<BreakerStatus> status(String key) {
        try {
            return Optional.of(status(read(send("GET", "api/breakers/" + path(key), null), OBJECT)));
        } catch (NotFound e) {
            return Optional.empty();
        }
    }

    @Override
    public ActionResult trip(String key, String reason) {
        return action(send("POST", "api/breakers/" + path(key) + "/trip", body(reason, false)));
    }

    @Override
    public ActionResult reset(String key, String reason, boolean force) {
        try {
            return action(send("POST", "api/breakers/" + path(key) + "/reset", body(reason, force)));
        } catch (NotFound e) {
            throw new CliException(CliException.USAGE, "no breaker '" + key + "'");
        }
    }

    @Override
    public List<AuditRecord> audit(String key, int limit) {
        String path = (key == null ? "api/audit" : "api/breakers/" + path(key) + "/audit") + "?limit=" + limit;
        return read(send("GET", path, null), ARRAY).stream().map(m -> decoded(() -> JsonCodec.audit(m))).toList();
    }

    @Override
    public void close() {
        // the JDK client needs no closing on Java 17
    }

    @SuppressWarnings("unchecked")
    private ActionResult action(String body) {
        Map<String, Object> m = read(body, OBJECT);
        if (!(m.get("breaker") instanceof Map<?, ?> breaker) || !(m.get("audit") instanceof Map<?, ?> audit)
                || !(m.get("durable") instanceof Boolean durable)) {
            throw new CliException(CliException.UNREACHABLE, base + " answered an action without breaker, audit and"
                    + " durable");
        }
        return decoded(() -> new ActionResult(JsonCodec.status((Map<String, ?>) breaker),
                JsonCodec.audit((Map<String, ?>) audit), durable));
    }

    private static BreakerStatus status(Map<String, Object> m) {
        return decoded(() -> JsonCodec.status(m));
    }

    private static <T> T decoded(java.util.function.Supplier<T> decode) {
        try {
            return decode.get();
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.UNREACHABLE, "the admin API answered an unexpected shape: "
                    + e.getMessage(), e);
        }
    }

    private <T> T read(String body, TypeReference<T> type) {
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new CliException(CliException.UNREACHABLE, base + " answered something that is not the expected JSON", e);
        }
    }

    private String body(String reason, boolean force) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reason", reason);
        m.put("force", force);
        try {
            return json.writeValueAsString(m);
        } catch (IOException e) {
            throw new IllegalStateException("a map of a string and a boolean always serialises", e);
        }
    }

    private static String path(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String send(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CliException(CliException.UNREACHABLE, "cannot reach the admin API at " + base + ": "
                    + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.UNREACHABLE, "interrupted while calling " + base, e);
        }
        if (r.statusCode() < 400) {
            return r.body();
        }
        Map<String, Object> error;
        try {
            error = json.readValue(r.body(), OBJECT);
        } catch (IOException e) {
            throw new CliException(CliException.UNREACHABLE, base + " answered HTTP " + r.statusCode()
                    + " without the API's JSON error: is this a Fusebox admin API?", e);
        }
        String code = String.valueOf(error.get("error"));
        String message = String.valueOf(error.get("message"));
        if (r.statusCode() == 404 && "UNKNOWN_BREAKER".equals(code)) {
            throw new NotFound();
        }
        if (r.statusCode() == 409) {
            throw new CliException(CliException.RESET_DENIED, message);
        }
        if (r.statusCode() == 401) {
            throw new CliException(CliException.USAGE, message + " (give --token or set FUSEBOX_TOKEN)");
        }
        throw new CliException(r.statusCode() >= 500 ? CliException.UNREACHABLE : CliException.USAGE,
                code + ": " + message);
    }

    /** A connection problem in words: the JDK client's exceptions often carry no message. */
    static String describe(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused (is the server running, on this port?)";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
            if (t instanceof SSLException) {
                return "TLS failed: " + t.getMessage();
            }
        }
        return e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage()
                : "the connection failed (" + e.getClass().getSimpleName() + ")";
    }

    /** An unknown breaker, answered by the caller. */
    private static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound() {
            super(null, null, false, false);
        }
    }
}
