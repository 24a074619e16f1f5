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
        if (v.isEmpty() || v.length() > max || v.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(name + " must be 1 to " + max
                    + " characters without control characters, but was " + v.length() + " characters");
        }
        return v;
    }
}
