package dev.fusebox.spring.boot.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Path;
import java.util.Set;

/** The documented JSON shapes, {@code docs/api/*.schema.json}. */
public final class Schemas {

    private static final Path DOCS = Path.of("..", "docs", "api").toAbsolutePath().normalize();

    private Schemas() {
    }

    /** What is wrong with {@code json} against {@code file}; empty when it matches. */
    public static Set<ValidationMessage> problems(String file, JsonNode json) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                b -> b.schemaMappers(m -> m.mapPrefix("https://fusebox.dev/schema/", DOCS.toUri().toString())));
        JsonSchema schema = factory.getSchema(SchemaLocation.of("https://fusebox.dev/schema/" + file));
        return schema.validate(json);
    }
}
