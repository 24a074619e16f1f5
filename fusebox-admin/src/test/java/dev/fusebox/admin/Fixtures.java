package dev.fusebox.admin;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** What the admin tests share: a registry, and the tokens of two operators in an owner-only file. */
final class Fixtures {

    static final String ALICE = "alice-token-0123456789";
    static final String BOB = "bob-token-0123456789abc";

    private Fixtures() {
    }

    /** A registry on a manual clock, for tests that start their own servers. */
    static CircuitBreakerRegistry registry() {
        return Registries.manual(new ManualClock(), new TestLoad()).build();
    }

    /** {@code dir/tokens} with alice's and bob's tokens, readable by its owner only. */
    static Path tokens(Path dir) throws IOException {
        Path file = dir.resolve("tokens");
        return Files.exists(file) ? file : ownerOnly(file, "# operators\nalice:" + ALICE + "\n\nbob:" + BOB + "\n");
    }

    /** Writes {@code text} to a new {@code file} that only its owner may read and write. */
    static Path ownerOnly(Path file, String text) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(file, text);
    }
}
