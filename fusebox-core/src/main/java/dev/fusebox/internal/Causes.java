package dev.fusebox.internal;

/** Looks through cause chains, bounded: a chain with a cycle must not hang the caller. */
public final class Causes {

    /** How many links of a cause chain are looked at. */
    public static final int MAX_DEPTH = 16;

    private Causes() {
    }

    /** The first throwable of {@code type} in {@code error}'s cause chain, itself included, or null. */
    public static <T extends Throwable> T find(Throwable error, Class<T> type) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
