package dev.fusebox.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Bearer tokens and the users they belong to, from a file with one {@code user:token} per line
 * ({@code #} starts a comment). Tokens are kept as SHA-256 digests and compared in constant time:
 * every entry is compared, whether or not an earlier one matched. Thread-safe (immutable).
 */
final class Tokens {

    static final int MIN_TOKEN_LENGTH = 16;

    private record Entry(String user, byte[] digest) {
    }

    private final List<Entry> entries;

    private Tokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Reads a tokens file.
     *
     * @throws IllegalArgumentException naming the line that is not {@code user:token}, or a token
     *     shorter than 16 characters, or a file without any token
     */
    static Tokens load(Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String user = colon < 0 ? "" : line.substring(0, colon).strip();
            String token = colon < 0 ? "" : line.substring(colon + 1).strip();
            if (user.isEmpty() || user.length() > 128 || user.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected user:token");
            }
            if (token.length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": the token of " + user
                        + " is shorter than " + MIN_TOKEN_LENGTH + " characters");
            }
            entries.add(new Entry(user, digest(token)));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no user:token line");
        }
        return new Tokens(entries);
    }

    /**
     * The tokens in {@code file}; if it does not exist, creates it readable by its owner only,
     * with one random token for user {@code admin}.
     *
     * @return the tokens, and whether the file was created
     */
    static Loaded loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return new Loaded(load(file), false);
        }
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException raced) {
            return new Loaded(load(file), false);
        }
        Files.writeString(file, "# Fusebox admin API tokens, one user:token per line\nadmin:" + token + "\n");
        return new Loaded(load(file), true);
    }

    record Loaded(Tokens tokens, boolean created) {
    }

    /** The user whose token the {@code Authorization: Bearer ...} header carries. */
    Optional<String> userFor(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        byte[] presented = digest(authorization.substring(7).strip());
        String user = null;
        for (Entry e : entries) {
            // No early exit: the time taken does not depend on which entry matches.
            if (MessageDigest.isEqual(e.digest(), presented) && user == null) {
                user = e.user();
            }
        }
        return Optional.ofNullable(user);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
