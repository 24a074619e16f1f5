package dev.fusebox.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreContractTest extends BreakerStoreContract {

    @TempDir
    Path dir;

    private int files;

    @Override
    String freshUrl() {
        String name = files++ == 0 ? "circuit_breaker.db" : "circuit_breaker_" + files + ".db";
        return SqliteFiles.url(dir.resolve("nested/folder/" + name));
    }

    @Test
    void createsTheFileAndItsFolderInWalMode() throws Exception {
        assertThat(Files.exists(dir.resolve("nested/folder/circuit_breaker.db"))).isTrue();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             var rs = st.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("wal");
        }
    }

    @Test
    void createsTheDatabaseItsWalAndItsFolderReadableByTheOwnerOnly() throws Exception {
        store.commit(tripped("draftkings", T, 1), 0, java.util.List.of()); // a write: the WAL exists now
        Path folder = dir.resolve("nested/folder");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("circuit_breaker.db"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                folder.resolve("circuit_breaker.db-wal")))).isEqualTo("rw-------");
    }

    @Test
    void failsClearlyWhenTheFileCannotBeCreated() throws Exception {
        Path blocker = dir.resolve("not-a-folder");
        Files.writeString(blocker, "x");

        assertThatThrownBy(() -> JdbcBreakerStore.open(blocker.resolve("db.sqlite").toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not-a-folder");
    }

    @Test
    void rejectsUnsupportedUrls() {
        assertThatThrownBy(() -> JdbcBreakerStore.open("jdbc:mysql://localhost/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected jdbc:sqlite:FILE or jdbc:postgresql://");
    }
}
