package dev.fusebox.admin;

import dev.fusebox.Checks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bearer tokens and the users they belong to, from a file with one {@code user:token} per line.
 * The file holds secrets, so it is read strictly: it must be readable by its owner only (on POSIX
 * systems; like an ssh key), plain UTF-8 without a byte-order mark, every user and every token at
 * most once, and no white space or {@code #} in a {@code user:token} line: a comment has a line of
 * its own, starting with {@code #}. Tokens are kept as SHA-256 digests and compared in constant
 * time: every entry is compared, whether or not an earlier one matched. Thread-safe (immutable).
 */
final class Tokens {

    static final int MIN_TOKEN_LENGTH = 16;
    static final int MAX_TOKEN_LENGTH = 1024;
    static final int MAX_USER_LENGTH = 128;

    private record Entry(String user, byte[] digest) {
    }

    private final List<Entry> entries;

    private Tokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Reads a tokens file.
     *
     * @throws IllegalArgumentException if group or others may read or write the file (the message
     *     says how to fix it), or naming the line that is not {@code user:token}, holds white space,
     *     a {@code #} or a byte-order mark, repeats a user or a token, or has a token shorter than
     *     16 characters; or for a file without any token
     */
    static Tokens load(Path file) throws IOException {
        OwnerOnly.require(file, "the admin API's tokens", false);
        List<String> lines = lines(file);
        List<Entry> entries = new ArrayList<>();
        Map<String, Integer> userLines = new HashMap<>();
        Map<String, String> tokenUsers = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String at = file + " line " + (i + 1) + ": ";
            if (line.indexOf('\uFEFF') >= 0) {
                throw new IllegalArgumentException(at + "a byte-order mark (U+FEFF); save the file as UTF-8 without one");
            }
            if (line.isBlank() || line.strip().startsWith("#")) {
                continue;
            }
            if (line.indexOf('#') >= 0) {
                throw new IllegalArgumentException(at + "'#' in a user:token line; a comment needs a line of its own");
            }
            if (line.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(at + "white space in a user:token line");
            }
            int colon = line.indexOf(':');
            String user = colon < 0 ? "" : line.substring(0, colon);
            String token = colon < 0 ? "" : line.substring(colon + 1);
            if (user.isEmpty() || user.length() > MAX_USER_LENGTH) {
                throw new IllegalArgumentException(at + "expected user:token");
            }
            try {
                Checks.operatorText("user", user, MAX_USER_LENGTH); // the audit trail takes the name as it is
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + e.getMessage(), e);
            }
            if (token.length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException(at + "the token of " + user + " is shorter than "
                        + MIN_TOKEN_LENGTH + " characters");
            }
            if (token.length() > MAX_TOKEN_LENGTH || !token.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
                throw new IllegalArgumentException(at + "the token of " + user + " must be 16 to " + MAX_TOKEN_LENGTH
                        + " printable ASCII characters");
            }
            Integer earlier = userLines.putIfAbsent(user, i + 1);
            if (earlier != null) {
                throw new IllegalArgumentException(at + "user " + user + " already has a token on line " + earlier
                        + "; one token per user");
            }
            String owner = tokenUsers.putIfAbsent(token, user);
            if (owner != null) {
                throw new IllegalArgumentException(at + "the token of " + user + " is also the token of " + owner
                        + " (line " + userLines.get(owner) + "); every user needs a token of their own");
            }
            entries.add(new Entry(user, digest(token)));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no user:token line");
        }
        return new Tokens(entries);
    }

    /** The file's lines, decoded strictly as UTF-8 (a byte-order mark stays, to be refused with its line). */
    private static List<String> lines(Path file) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not UTF-8 text");
        }
        return text.lines().toList();
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
