package dev.fusebox;

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
        return Checks.operatorText(name, value, max);
    }
}
