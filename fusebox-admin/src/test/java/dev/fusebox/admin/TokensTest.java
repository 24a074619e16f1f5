package dev.fusebox.admin;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.CircuitBreakerRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tokens file holds secrets: the server refuses to start from one that is loose or ambiguous. */
class TokensTest {

    private static final String ALICE = "alice:" + Fixtures.ALICE + "\n";

    @TempDir
    Path dir;

    @AutoClose
    private final CircuitBreakerRegistry breakers = Fixtures.registry();


    @Test
    void tokensFileReadableByOthersIsRefused() throws Exception {
        for (String permissions : new String[] {"rw-r--r--", "rw-r-----", "rw----r--", "rw--w----"}) {
            Path file = Fixtures.ownerOnly(dir.resolve(permissions), ALICE);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));

            startWith(file).hasMessageContaining(permissions).hasMessageContaining("chmod 600 " + file);
        }
    }

    @Test
    void tokensFileStartingWithAByteOrderMarkIsRefused() throws Exception {
        startWith(Fixtures.ownerOnly(dir.resolve("tokens"), "\uFEFF" + ALICE))
                .hasMessageContaining("line 1: a byte-order mark");
    }

    @Test
    void tokenLineWithATrailingCommentIsRefused() throws Exception {
        startWith(Fixtures.ownerOnly(dir.resolve("tokens"), "# operators\n" + "bob:" + Fixtures.BOB + " # on call\n"))
                .hasMessageContaining("line 2: '#' in a user:token line");
        startWith(Fixtures.ownerOnly(dir.resolve("spaced"), "bob:" + Fixtures.BOB + " \n"))
                .hasMessageContaining("line 1: white space");
    }

    @Test
    void oneTokenForTwoUsersIsRefused() throws Exception {
        startWith(Fixtures.ownerOnly(dir.resolve("tokens"), ALICE + "\nbob:" + Fixtures.ALICE + "\n"))
                .hasMessageContaining("line 3: the token of bob is also the token of alice (line 1)");
    }

    @Test
    void oneUserListedTwiceIsRefused() throws Exception {
        startWith(Fixtures.ownerOnly(dir.resolve("tokens"), ALICE + "alice:" + Fixtures.BOB + "\n"))
                .hasMessageContaining("line 2: user alice already has a token on line 1");
    }

    @Test
    void aUserNameTheAuditTrailWouldShowWronglyIsRefused() throws Exception {
        startWith(Fixtures.ownerOnly(dir.resolve("tokens"), ALICE + "bo\u200Eb:" + Fixtures.BOB + "\n"))
                .hasMessageContaining("line 2: user must not contain U+200E");
        // joiners are part of real names: ana\u200Dmaria starts
        Path joined = Fixtures.ownerOnly(dir.resolve("joined"), "ana\u200Dmaria:" + Fixtures.BOB + "\n");
        AdminServer.builder(breakers).port(0).tokensFile(joined).start().close();
    }

    private AbstractThrowableAssert<?, ? extends Throwable> startWith(Path tokens) {
        return assertThatThrownBy(() -> AdminServer.builder(breakers).port(0).tokensFile(tokens).start().close())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
