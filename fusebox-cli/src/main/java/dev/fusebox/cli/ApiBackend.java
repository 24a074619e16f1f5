package dev.fusebox.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Commands against a running admin API ({@code --url}); the token's user is the one audited. */
final class ApiBackend implements Views.Backend {

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    ApiBackend(String url, String token) {
        try {
            URI u = URI.create(url.endsWith("/") ? url : url + "/");
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                throw new IllegalArgumentException("expected http:// or https://");
            }
            this.base = u;
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, "--url '" + url + "' is not an http(s) URL", e);
        }
        this.token = token;
    }

    @Override
    public List<Views.Status> statusAll() {
        List<Views.Status> out = new ArrayList<>();
        send("GET", "api/breakers", null).forEach(n -> out.add(status(n)));
        return out;
    }

    @Override
    public Optional<Views.Status> status(String key) {
        try {
            return Optional.of(status(send("GET", "api/breakers/" + path(key), null)));
        } catch (NotFound e) {
            return Optional.empty();
        }
    }

    @Override
    public Views.Action trip(String key, String reason) {
        return action(send("POST", "api/breakers/" + path(key) + "/trip", body(reason, false)));
    }

    @Override
    public Views.Action reset(String key, String reason, boolean force) {
        try {
            return action(send("POST", "api/breakers/" + path(key) + "/reset", body(reason, force)));
        } catch (NotFound e) {
            throw new CliException(CliException.USAGE, "no breaker '" + key + "'");
        }
    }

    @Override
    public List<Views.Audit> audit(String key, int limit) {
        String path = (key == null ? "api/audit" : "api/breakers/" + path(key) + "/audit") + "?limit=" + limit;
        List<Views.Audit> out = new ArrayList<>();
        send("GET", path, null).forEach(n -> out.add(new Views.Audit(n.path("id").asLong(), n.path("bookmaker").asText(),
                n.path("action").asText(), n.path("reason").asText(), n.path("user").asText(),
                n.path("timestamp").asLong())));
        return out;
    }

    @Override
    public void close() {
        // the JDK client needs no closing on Java 17
    }

    private Views.Action action(JsonNode n) {
        return new Views.Action(status(n.path("breaker")), n.path("durable").asBoolean(true));
    }

    private Views.Status status(JsonNode n) {
        JsonNode c = n.path("counters");
        return new Views.Status(n.path("bookmaker").asText(), n.path("state").asText(), n.path("tripped").asBoolean(),
                n.path("failures").asDouble(), n.path("failureThreshold").asDouble(), n.path("tripCount").asLong(),
                text(n, "lastError"), text(n, "trippedBy"), text(n, "tripReason"), n.path("trippedAt").asLong(),
                text(n, "lastResetBy"), text(n, "lastResetReason"), n.path("lastResetAt").asLong(),
                n.path("avgLatency").isNumber() ? n.path("avgLatency").asDouble() : null,
                c.path("calls").asLong(), c.path("rejections").asLong(), c.path("sheds").asLong());
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    private String body(String reason, boolean force) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reason", reason);
        m.put("force", force);
        try {
            return json.writeValueAsString(m);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String path(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
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
            throw new CliException(CliException.UNREACHABLE, "cannot reach the admin API at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.UNREACHABLE, "interrupted while calling " + base, e);
        }
        JsonNode n;
        try {
            n = json.readTree(r.body());
        } catch (IOException e) {
            throw new CliException(CliException.UNREACHABLE, base + " answered " + r.statusCode() + " with no JSON", e);
        }
        if (r.statusCode() == 404 && "UNKNOWN_BREAKER".equals(n.path("error").asText())) {
            throw new NotFound();
        }
        if (r.statusCode() == 409) {
            throw new CliException(CliException.RESET_DENIED, n.path("message").asText());
        }
        if (r.statusCode() == 401) {
            throw new CliException(CliException.USAGE, n.path("message").asText()
                    + " (give --token or set FUSEBOX_TOKEN)");
        }
        if (r.statusCode() >= 400) {
            throw new CliException(r.statusCode() >= 500 ? CliException.UNREACHABLE : CliException.USAGE,
                    n.path("error").asText() + ": " + n.path("message").asText());
        }
        return n;
    }

    /** An unknown breaker, answered by the caller. */
    private static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound() {
            super(null, null, false, false);
        }
    }
}
