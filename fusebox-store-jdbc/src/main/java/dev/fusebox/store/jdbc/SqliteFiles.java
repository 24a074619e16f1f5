package dev.fusebox.store.jdbc;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * SQLite files: created readable by their owner only (the state and audit trail say who did what
 * and why), and checked for damage before their state is trusted.
 */
final class SqliteFiles {

    private SqliteFiles() {
    }

    /** The JDBC URL of {@code file}; its folder is created (owner-only) if missing. */
    static String url(Path file) {
        Path absolute = file.toAbsolutePath();
        createFolder(absolute.getParent());
        return "jdbc:sqlite:" + absolute;
    }

    /**
     * Creates the database file of a {@code jdbc:sqlite:} URL, empty and owner-only, when it does
     * not exist yet, so that SQLite never creates it with the process's umask. SQLite gives the
     * files it creates beside it (the WAL and shared-memory files) the database file's permissions.
     */
    static void createOwnerOnly(String url) throws SQLException {
        String path = url.substring("jdbc:sqlite:".length());
        int query = path.indexOf('?');
        path = query < 0 ? path : path.substring(0, query);
        if (path.isEmpty() || path.startsWith(":") || path.startsWith("file:")) {
            return; // in memory, or a URI SQLite interprets itself
        }
        Path file = Path.of(path).toAbsolutePath();
        if (Files.exists(file)) {
            return;
        }
        createFolder(file.getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException raced) {
            // another process created it first
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX permissions: SQLite creates it
        } catch (IOException e) {
            throw new SQLException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    private static void createFolder(Path folder) {
        if (folder == null || Files.isDirectory(folder)) {
            return;
        }
        try {
            if (folder.getParent() != null) {
                Files.createDirectories(folder.getParent());
            }
            Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException raced) {
            // created meanwhile
        } catch (UnsupportedOperationException notPosix) {
            try {
                Files.createDirectories(folder);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot create the folder " + folder + ": " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create the folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fails when SQLite finds the file damaged ({@code PRAGMA quick_check}): a damaged state table
     * can read as "nothing stored", which would close every breaker an operator tripped.
     */
    static void checkIntegrity(Connection c) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA quick_check(5)")) {
            while (rs.next()) {
                problems.add(rs.getString(1));
            }
        }
        if (!problems.equals(List.of("ok"))) {
            throw new SQLException("the database file is damaged (PRAGMA quick_check: " + String.join("; ", problems)
                    + "); restore it from a backup, or move it away to start with an empty store");
        }
    }
}
