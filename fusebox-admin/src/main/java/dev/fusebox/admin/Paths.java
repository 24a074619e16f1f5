package dev.fusebox.admin;

import dev.fusebox.Checks;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Strict parsing of request paths and parameters. */
final class Paths {

    static final int MAX_AUDIT_LIMIT = 10_000;

    private Paths() {
    }

    /** The decoded segments of a raw path, without empty ones. */
    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                out.add(decode(raw));
            }
        }
        return out;
    }

    /**
     * A breaker key from a path segment: the registry's rules (see {@link Checks#key}), and not
     * {@code .} or {@code ..}, which browsers resolve away: the console could not show the breaker.
     */
    static String key(String segment) {
        if (segment.equals(".") || segment.equals("..")) {
            throw new ApiError(400, "INVALID_KEY", "key must not be '.' or '..': no URL can name it");
        }
        try {
            return Checks.key(segment);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "INVALID_KEY", e.getMessage());
        }
    }

    static int limit(String value) {
        if (value == null) {
            return 100;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= MAX_AUDIT_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest("limit must be a number from 1 to " + MAX_AUDIT_LIMIT);
    }

    /** Percent-decoding of a path segment ('+' stays '+'); malformed escapes or UTF-8 are a 400. */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (i + 2 >= raw.length()) {
                throw ApiError.badRequest("malformed percent-escape in the path");
            }
            int hi = Character.digit(raw.charAt(i + 1), 16);
            int lo = Character.digit(raw.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                throw ApiError.badRequest("malformed percent-escape in the path");
            }
            bytes.write(hi * 16 + lo);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw ApiError.badRequest("the path is not valid UTF-8");
        }
    }

    /** Decoded query parameters (the last value wins); a malformed escape is a 400. */
    static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.put(name, value);
            } catch (IllegalArgumentException malformed) {
                throw ApiError.badRequest("malformed percent-escape in the query");
            }
        }
        return out;
    }

    /** The raw path (or any text a client sent), shortened and without control characters, for messages and logs. */
    static String printable(String rawPath) {
        String p = rawPath.length() > 100 ? rawPath.substring(0, 100) + "..." : rawPath;
        return p.replaceAll("\\p{Cntrl}", "?");
    }
}
