package dev.fusebox.internal;

import dev.fusebox.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.Objects;

/**
 * Argument checks with messages that name the parameter, the value and the valid range, for
 * every module's builders.
 */
public final class Checks {

    private Checks() {
    }

    public static double range(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be in [" + format(min) + ", " + format(max)
                    + "], but was " + value);
        }
        return value;
    }

    public static Duration range(String name, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], but was " + value);
        }
        return value;
    }

    public static String key(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || key.length() > CircuitBreakerRegistry.MAX_KEY_LENGTH
                || key.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("key must be 1 to " + CircuitBreakerRegistry.MAX_KEY_LENGTH
                    + " characters without control characters, but was '" + key.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        return key;
    }

    private static String format(double d) {
        return d == Double.MIN_VALUE ? "0 (exclusive)" : (d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d));
    }
}
