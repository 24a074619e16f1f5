package dev.fusebox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.fusebox.BreakerConfig;
import dev.fusebox.CallContext;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.admin.AdminServer;
import dev.fusebox.store.jdbc.JdbcBreakerStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One status shape for people and scripts: the admin API, {@code fusebox status --json} and
 * {@code status-all --json} over a store and over the API give the same JSON for the same breaker,
 * and it is the shape {@code docs/api/breaker-status.schema.json} documents.
 */
class StatusShapeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DOCS = Path.of("..", "docs", "api");

    @TempDir
    Path dir;

    @Test
    void everyDoorGivesTheSameDocumentedJsonForTheSameBreaker() throws Exception {
        Path db = dir.resolve("circuit_breaker.db");
        try (CircuitBreakerRegistry service = CircuitBreakerRegistry.builder().store(JdbcBreakerStore.sqlite(db))
                .defaultConfig(BreakerConfig.builder().latencySampleEvery(1).build()).build()) {
            service.call("fanduel", () -> "ok", CallContext.DEFAULT); // a latency
            for (int i = 0; i < 10; i++) {
                try {
                    service.call("fanduel", () -> {
                        throw new IllegalStateException("500 Internal Server Error");
                    }, CallContext.DEFAULT);
                } catch (IllegalStateException expected) {
                    // counted
                }
            }
            service.trip("draftkings", "maintenance", "alice");
            service.reset("draftkings", "done", "bob", true);
            service.trip("pinnacle", "incident", "carol");
            service.breaker("betmgm"); // never stored: not in the file
        }
        Files.writeString(dir.resolve("tokens"), "admin:" + "t".repeat(32) + "\n");
        Files.setPosixFilePermissions(dir.resolve("tokens"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (CircuitBreakerRegistry served = CircuitBreakerRegistry.builder().store(JdbcBreakerStore.sqlite(db))
                .loadSampleInterval(Duration.ZERO).build();
             AdminServer admin = AdminServer.builder(served).port(0).tokensFile(dir.resolve("tokens")).start()) {
            String url = "http://127.0.0.1:" + admin.port();
            JsonSchema schema = schema("breaker-status.schema.json");
            for (String key : new String[] {"fanduel", "draftkings", "pinnacle"}) {
                Map<String, JsonNode> doors = new LinkedHashMap<>();
                doors.put("GET /api/breakers/" + key, JSON.readTree(get(url + "/api/breakers/" + key)));
                doors.put("GET /api/breakers", element(JSON.readTree(get(url + "/api/breakers")), key));
                doors.put("status --json --db", JSON.readTree(cli("status", key, "--json", "--db", db.toString())));
                doors.put("status-all --json --db",
                        element(JSON.readTree(cli("status-all", "--json", "--db", db.toString())), key));
                doors.put("status --json --url", JSON.readTree(cli("status", key, "--json", "--url", url)));
                doors.put("status-all --json --url",
                        element(JSON.readTree(cli("status-all", "--json", "--url", url)), key));

                JsonNode first = doors.values().iterator().next();
                assertThat(schema.validate(((com.fasterxml.jackson.databind.node.ObjectNode) first.deepCopy())
                        .put("tripped", "yes"))).as("the schema is in force").isNotEmpty();
                doors.forEach((door, json) -> {
                    assertThat(json).as(door + " for " + key).isEqualTo(first);
                    Set<ValidationMessage> problems = schema.validate(json);
                    assertThat(problems).as(door + " for " + key + " against the documented schema").isEmpty();
                });
            }
            JsonNode fanduel = JSON.readTree(get(url + "/api/breakers/fanduel"));
            assertThat(fanduel.get("tripped").asBoolean()).isTrue();
            assertThat(fanduel.get("avgLatency").isNumber()).as("one timed success gives an average").isTrue();
            assertThat(fanduel.get("lastResetAt").isNull()).as("absent values are null, never 0").isTrue();
            assertThat(fanduel.get("lastFailureAt").isIntegralNumber()).isTrue();
            JsonNode draftkings = JSON.readTree(get(url + "/api/breakers/draftkings"));
            assertThat(draftkings.get("lastResetBy").asText()).isEqualTo("bob");
            assertThat(draftkings.get("trippedAt").isNull()).isTrue();
        }
    }

    @Test
    void auditRecordsAndActionResultsHaveTheirDocumentedShapes() throws Exception {
        Files.writeString(dir.resolve("tokens"), "alice:" + "a".repeat(32) + "\n");
        Files.setPosixFilePermissions(dir.resolve("tokens"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (CircuitBreakerRegistry served = CircuitBreakerRegistry.builder()
                .store(JdbcBreakerStore.sqlite(dir.resolve("db"))).loadSampleInterval(Duration.ZERO).build();
             AdminServer admin = AdminServer.builder(served).port(0).tokensFile(dir.resolve("tokens")).start()) {
            String url = "http://127.0.0.1:" + admin.port();
            HttpResponse<String> trip = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(url + "/api/breakers/draftkings/trip"))
                    .header("Authorization", "Bearer " + "a".repeat(32))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"maintenance\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(trip.statusCode()).as(trip.body()).isEqualTo(200);

            assertThat(schema("action-result.schema.json").validate(JSON.readTree(trip.body()))).isEmpty();
            JsonNode audit = JSON.readTree(get(url + "/api/audit"));
            JsonNode cliAudit = JSON.readTree(cli("audit", "--json", "--url", url));
            assertThat(cliAudit).isEqualTo(audit);
            for (JsonNode record : audit) {
                assertThat(schema("audit-record.schema.json").validate(record)).isEmpty();
            }
            assertThat(JSON.readTree(trip.body()).get("durable").asBoolean()).isTrue();
        }
    }

    private static JsonSchema schema(String file) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                b -> b.schemaMappers(m -> m.mapPrefix("https://fusebox.dev/schema/", DOCS.toAbsolutePath().normalize().toUri().toString())));
        return factory.getSchema(SchemaLocation.of("https://fusebox.dev/schema/" + file));
    }

    private static JsonNode element(JsonNode array, String key) {
        for (JsonNode n : array) {
            if (n.get("bookmaker").asText().equals(key)) {
                return n;
            }
        }
        throw new AssertionError(key + " missing from " + array);
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private static String cli(String... args) {
        CommandsTest.Result r = CommandsTest.fusebox(args);
        assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
        return r.out();
    }
}
