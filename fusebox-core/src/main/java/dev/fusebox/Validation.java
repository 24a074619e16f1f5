package dev.fusebox;

import java.util.Objects;

/** Checks on what operators type: users and reasons. */
final class Validation {

    static final int MAX_USER_LENGTH = 128;
    static final int MAX_REASON_LENGTH = 1000;

    private Validation() {
    }

    static String user(String user) {
        return text("user", user, MAX_USER_LENGTH);
    }

    static String reason(String reason) {
        return text("reason", reason, MAX_REASON_LENGTH);
    }

    private static String text(String name, String value, int max) {
        Objects.requireNonNull(value, name);
        String v = value.strip();
        if (v.isEmpty() || v.length() > max) {
            throw new IllegalArgumentException(name + " must be 1 to " + max + " characters, but was " + v.length()
                    + " characters");
        }
        int hidden = Checks.firstHiddenCharacter(v);
        if (hidden >= 0) {
            // U+200B would make an empty-looking reason, U+202E one that reads backwards
            throw new IllegalArgumentException(name + " must not contain " + String.format("U+%04X", v.codePointAt(hidden))
                    + " (an invisible, control or format character) at position " + hidden);
        }
        return v;
    }
}
