package dev.fusebox;

import java.time.Duration;
import java.util.Objects;

/**
 * Argument checks with the messages every Fusebox builder uses: the parameter, the value and the
 * valid range. Public so that the modules built on the core (store, admin server, notifiers) and
 * integrations of your own check their settings the same way. Stateless and thread-safe.
 */
public final class Checks {

    private Checks() {
    }

    /**
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is not in [{@code min}, {@code max}] (or is NaN)
     */
    public static double range(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be in [" + format(min) + ", " + format(max)
                    + "], but was " + value);
        }
        return value;
    }

    /**
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is not in [{@code min}, {@code max}]
     */
    public static int range(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], but was " + value);
        }
        return value;
    }

    /**
     * @return {@code value}
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if {@code value} is not in [{@code min}, {@code max}]
     */
    public static Duration range(String name, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], but was " + value);
        }
        return value;
    }

    /**
     * A breaker key: 1 to {@value CircuitBreakerRegistry#MAX_KEY_LENGTH} characters, no leading or
     * trailing space, and only characters that print as themselves: no control characters, no
     * invisible or format characters (zero-width spaces and joiners, direction marks and
     * overrides, soft hyphens, byte-order marks, variation selectors), no line or paragraph
     * separators, no space other than the plain one, no unpaired surrogates, private-use or
     * unassigned code points. {@code draft\u200Bkings} would print like {@code draftkings} and be
     * another breaker; it is refused.
     *
     * @return {@code key}
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException naming the first character refused, by code point
     */
    public static String key(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || key.length() > CircuitBreakerRegistry.MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("key must be 1 to " + CircuitBreakerRegistry.MAX_KEY_LENGTH
                    + " characters, but was " + key.length());
        }
        if (key.charAt(0) == ' ' || key.charAt(key.length() - 1) == ' ') {
            throw new IllegalArgumentException("key must not start or end with a space: '" + printable(key) + "'");
        }
        int hidden = firstHiddenCharacter(key);
        if (hidden >= 0) {
            throw new IllegalArgumentException("key must not contain " + String.format("U+%04X", key.codePointAt(hidden))
                    + " (an invisible, control or format character) at position " + hidden + ": '" + printable(key)
                    + "'");
        }
        return key;
    }

    /**
     * Where {@code text} first has a character that does not print as itself (see {@link #key}; the
     * plain space is fine), or -1.
     */
    private static int firstHiddenCharacter(String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (!printsAsItself(cp)) {
                return i;
            }
            i += Character.charCount(cp);
        }
        return -1;
    }

    /**
     * An operator's text, a reason or a user name: 1 to {@code max} characters once stripped, at
     * least one of them visible, and none that would hide or reorder what an audit record shows:
     * control characters, direction marks, embeddings, overrides and isolates, the zero-width
     * space, the byte-order mark, line and paragraph separators, unpaired surrogates. Joiners,
     * variation selectors (emoji) and no-break spaces are fine: real text has them.
     *
     * @param name what the text is, for the message ("reason", "user")
     * @return {@code value}, stripped
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException naming the first character refused, by code point
     */
    public static String operatorText(String name, String value, int max) {
        Objects.requireNonNull(value, name);
        String v = value.strip();
        if (v.isEmpty() || v.length() > max) {
            throw new IllegalArgumentException(name + " must be 1 to " + max + " characters, but was " + v.length()
                    + " characters");
        }
        boolean visible = false;
        for (int i = 0; i < v.length(); ) {
            int cp = v.codePointAt(i);
            if (hidesOrReorders(cp)) {
                throw new IllegalArgumentException(name + " must not contain " + String.format("U+%04X", cp)
                        + " (a control, invisible or direction character) at position " + i);
            }
            visible |= printsAsItself(cp) && cp != ' ';
            i += Character.charCount(cp);
        }
        if (!visible) {
            throw new IllegalArgumentException(name + " must have a visible character");
        }
        return v;
    }

    /** Characters that hide text or change the order it reads in. */
    private static boolean hidesOrReorders(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.SURROGATE || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || cp == 0x200B || cp == 0xFEFF || cp == 0x061C
                || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
    }

    /** Whether a character in a key shows as what it is. */
    private static boolean printsAsItself(int cp) {
        switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> {
                return false;
            }
            case Character.SPACE_SEPARATOR -> {
                return cp == ' ';
            }
            default -> {
                return !defaultIgnorable(cp);
            }
        }
    }

    /**
     * Unicode's default-ignorable code points that are not format characters: they render as
     * nothing (Hangul fillers, variation selectors, the combining grapheme joiner, tag characters).
     */
    private static boolean defaultIgnorable(int cp) {
        return cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0
                || (cp >= 0x17B4 && cp <= 0x17B5) || (cp >= 0x180B && cp <= 0x180F)
                || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0000 && cp <= 0xE0FFF);
    }

    /** The key for a message: control and invisible characters shown as U+XXXX. */
    private static String printable(String key) {
        StringBuilder out = new StringBuilder();
        key.codePoints().limit(CircuitBreakerRegistry.MAX_KEY_LENGTH).forEach(cp -> {
            if (cp == ' ' || printsAsItself(cp)) {
                out.appendCodePoint(cp);
            } else {
                out.append(String.format("<U+%04X>", cp));
            }
        });
        return out.toString();
    }

    private static String format(double d) {
        return d == Double.MIN_VALUE ? "0 (exclusive)" : (d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d));
    }
}
