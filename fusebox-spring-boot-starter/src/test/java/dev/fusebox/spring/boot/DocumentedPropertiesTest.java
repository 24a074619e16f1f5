package dev.fusebox.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fusebox.spring.boot.support.Http;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The configuration metadata IDEs read describes every property, and docs/spring-boot.md lists
 * every one of them with the same default.
 */
class DocumentedPropertiesTest {

    private static final Path DOC = Path.of("..", "docs", "spring-boot.md");

    @Test
    void everyPropertyIsDescribedAndDocumentedWithItsDefault() throws Exception {
        String doc = Files.readString(DOC);
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (JsonNode p : metadata().get("properties")) {
            String name = p.get("name").asText();
            if (name.startsWith("management.endpoint.fusebox.")) {
                continue; // Actuator's own, generated for every endpoint
            }
            checked++;
            if (!p.hasNonNull("description") || p.get("description").asText().isBlank()) {
                problems.add(name + " has no description");
            }
            String shortName = name.startsWith("fusebox.defaults.") ? name.substring("fusebox.defaults.".length()) : name;
            String row = doc.lines().filter(l -> l.startsWith("| `" + shortName + "` |")).findFirst().orElse(null);
            if (name.equals("fusebox.breakers") || name.equals("fusebox.prefixes")) {
                row = doc.contains("`" + name + ".") ? "" : null;
            }
            if (row == null) {
                problems.add(name + " is not in " + DOC.getFileName());
            } else if (p.has("defaultValue") && !row.contains("`" + shown(p.get("defaultValue")) + "`")) {
                problems.add(name + ": the default " + shown(p.get("defaultValue")) + " is not in its row: " + row);
            }
        }
        assertThat(checked).as("properties in the metadata").isGreaterThan(40);
        assertThat(problems).isEmpty();
    }

    /** The metadata file of this starter (Spring Boot's own jars have theirs). */
    private static JsonNode metadata() throws Exception {
        for (URL url : Collections.list(DocumentedPropertiesTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                JsonNode json = Http.JSON.readTree(in);
                for (JsonNode p : json.get("properties")) {
                    if (p.get("name").asText().equals("fusebox.enabled")) {
                        return json;
                    }
                }
            }
        }
        throw new AssertionError("no configuration metadata for fusebox.* on the class path");
    }

    /** A default as the doc writes it: 10 for 10.0, enum values in lower case. */
    private static String shown(JsonNode value) {
        if (value.isNumber() && value.asDouble() == Math.rint(value.asDouble())) {
            return value.asText().replaceAll("\\.0$", "");
        }
        return value.asText();
    }
}
