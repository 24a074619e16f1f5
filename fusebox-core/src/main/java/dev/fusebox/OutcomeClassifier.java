package dev.fusebox;

import dev.fusebox.internal.Causes;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Decides how an exception thrown by a protected call counts.
 *
 * <p>Implementations must be thread-safe and fast; they run on the calling thread for every
 * failed call. An implementation that throws is treated as if it had answered
 * {@link Outcome#FAILURE}.
 */
@FunctionalInterface
public interface OutcomeClassifier {

    /**
     * The default: {@link TimeoutException}, {@link HttpTimeoutException},
     * {@link SocketTimeoutException}, Fusebox's own {@link CallTimeoutException}, or any exception
     * whose message contains "timeout" (any case) anywhere in its cause chain is a
     * {@link Outcome#TIMEOUT}; an {@link InterruptedException} (the caller gave up: our
     * cancellation, not the upstream's fault) is {@link Outcome#IGNORED}; so is a call refused by
     * another breaker ({@link CircuitOpenException} or {@link LoadShedException} anywhere in the
     * cause chain: a breaker nested inside this one's call), which that breaker has counted
     * already: counted here too, one operator's trip of the inner breaker would trip, and latch,
     * every breaker around it. Everything else is a {@link Outcome#FAILURE}. A classifier of your
     * own can delegate to this one for what it does not decide itself.
     */
    OutcomeClassifier DEFAULT = OutcomeClassifier::defaultClassify;

    /**
     * Classifies one error.
     *
     * @param error the exception thrown by the protected call, never null
     * @return how it counts, never null
     */
    Outcome classify(Throwable error);

    /**
     * The first throwable of {@code type} in {@code error}'s cause chain, {@code error} itself
     * included, or null. The walk is bounded (16 links), so a chain with a cycle cannot hang the
     * calling thread: for classifiers that look for an exception type among the causes.
     */
    static <T extends Throwable> T findCause(Throwable error, Class<T> type) {
        return Causes.find(error, type);
    }

    private static Outcome defaultClassify(Throwable error) {
        if (error instanceof InterruptedException) {
            return Outcome.IGNORED;
        }
        // Before the timeouts: a wrapper copies its cause's message, and a refusal's may say "timeout".
        if (Causes.find(error, CircuitOpenException.class) != null
                || Causes.find(error, LoadShedException.class) != null) {
            return Outcome.IGNORED;
        }
        // Bounded walk: a cause chain with a cycle must not hang the calling thread.
        Throwable t = error;
        for (int depth = 0; t != null && depth < Causes.MAX_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof TimeoutException
                    || t instanceof HttpTimeoutException
                    || t instanceof SocketTimeoutException
                    || t instanceof CallTimeoutException) {
                return Outcome.TIMEOUT;
            }
            String message = t.getMessage();
            if (message != null && message.toLowerCase(Locale.ROOT).contains("timeout")) {
                return Outcome.TIMEOUT;
            }
        }
        return Outcome.FAILURE;
    }
}
