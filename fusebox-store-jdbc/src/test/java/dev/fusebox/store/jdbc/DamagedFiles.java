package dev.fusebox.store.jdbc;

import dev.fusebox.CircuitBreakerRegistry;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Random;

/** A SQLite store file damaged on purpose, for the tests of what happens when state cannot be read. */
public final class DamagedFiles {

    private DamagedFiles() {
    }

    /** Trips 30 breakers in {@code file}, closes it, and writes 16 random bytes into its state table's root page. */
    public static void thirtyTrippedThenDamaged(Path file) throws Exception {
        try (CircuitBreakerRegistry registry = CircuitBreakerRegistry.builder().store(JdbcBreakerStore.sqlite(file))
                .build()) {
            for (int i = 0; i < 30; i++) {
                registry.trip("bookmaker-" + i, "maintenance window " + i, "alice");
            }
        }
        int root;
        int pageSize;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT rootpage FROM sqlite_master WHERE name = 'circuit_breaker_state'");
            rs.next();
            root = rs.getInt(1);
            rs = st.executeQuery("PRAGMA page_size");
            rs.next();
            pageSize = rs.getInt(1);
        }
        byte[] junk = new byte[16];
        new Random(42).nextBytes(junk);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek((long) (root - 1) * pageSize + 8);
            f.write(junk);
        }
    }

}
