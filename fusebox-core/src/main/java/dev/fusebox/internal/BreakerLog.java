package dev.fusebox.internal;

import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Fusebox's log lines, logger {@code dev.fusebox}: through SLF4J when the application has it,
 * else through {@link System.Logger} (see {@link CoreLog}). The {@code [CIRCUIT_BREAKER]} lines
 * keep the wording of the service Fusebox replaces, so that existing log searches still match.
 */
public final class BreakerLog {

    private static final CoreLog LOG = CoreLog.get("dev.fusebox");

    private BreakerLog() {
    }

    static void tripped(String key, double failures, String lastError, long retryInMillis) {
        LOG.log(Level.ERROR, "[CIRCUIT_BREAKER] TRIPPED: " + key + " after " + number(failures)
                + " failures. Last error: " + lastError + ". "
                + (retryInMillis < 0 ? "Manual intervention required." : "Trial calls in " + retryInMillis + "ms."));
    }

    static void trippedByOperator(String key, String user, String reason) {
        LOG.log(Level.WARNING, "[CIRCUIT_BREAKER] TRIPPED: " + key + " by " + user + ". Reason: " + reason
                + ". Manual intervention required.");
    }

    static void trialFailed(String key, String why, long retryInMillis) {
        LOG.log(Level.ERROR, "[CIRCUIT_BREAKER] TRIPPED: " + key + " again: " + why + ". Trial calls in "
                + retryInMillis + "ms.");
    }

    static void halfOpen(String key) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "[CIRCUIT_BREAKER] HALF_OPEN: " + key + " lets trial calls through");
        }
    }

    static void trialsGivenUp(String key, int trials, int periods) {
        LOG.log(Level.WARNING, "[CIRCUIT_BREAKER] " + key + ": " + trials + " trial call(s) still running after "
                + periods + " trial periods; their slots are given up so that new trials can run");
    }

    static void reset(String key, String user, String reason, boolean forced) {
        LOG.log(Level.WARNING, "[CIRCUIT_BREAKER] RESET: " + key + " by " + user + ". Reason: " + reason
                + (forced ? " (FORCED)" : ""));
    }

    static void remoteTrip(String key, String user, String reason) {
        LOG.log(Level.WARNING, "[CIRCUIT_BREAKER] TRIPPED: " + key + " by " + user + " on another instance. Reason: "
                + reason);
    }

    static void remoteReset(String key, String user, String reason) {
        LOG.log(Level.WARNING, "[CIRCUIT_BREAKER] RESET: " + key + (user == null ? " (recovered)" : " by " + user)
                + " on another instance" + (reason == null ? "" : ". Reason: " + reason));
    }

    static void resetDenied(String key, String user, long remainingMillis) {
        LOG.log(Level.WARNING, "[CIRCUIT_BREAKER] RESET DENIED: " + key + " by " + user + ": cooldown, "
                + remainingMillis + "ms remaining. Use force to override.");
    }

    static void recovered(String key, long latencyMillis, boolean fromTrip) {
        Level level = fromTrip ? Level.INFO : Level.DEBUG;
        if (LOG.isLoggable(level)) {
            LOG.log(level, "[CIRCUIT_BREAKER] SUCCESS: " + key + " recovered. Latency: "
                    + (latencyMillis < 0 ? "n/a" : latencyMillis + "ms") + ". Failure count reset to 0.");
        }
    }

    /** One breaker's state became unknown or known; the registry logs the store's side once. */
    static void stateKnown(String key, boolean known) {
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "[CIRCUIT_BREAKER] " + key + (known ? " took its stored state"
                    : " refuses calls until its stored state can be read"));
        }
    }

    static void rejected(String key, String operation, long remainingMillis, long count) {
        LOG.log(Level.WARNING, "[CIRCUIT_BREAKER] Rejected " + operation + " for " + key + ": circuit tripped ("
                + (remainingMillis < 0 ? "manual reset required" : remainingMillis + "ms remaining") + ")"
                + (count > 1 ? "; " + count + " calls rejected since the last report" : ""));
    }

    static void shed(String key, String operation, double load, int operationLoad, long count) {
        LOG.log(Level.WARNING, "[CIRCUIT_BREAKER] Load shed " + operation + " for " + key + ": system load "
                + percent(load) + "%, operation load " + operationLoad
                + (count > 1 ? "; " + count + " calls shed since the last report" : ""));
    }

    /** The first line of a store outage; the stack trace only at DEBUG. */
    static void storeDown(String problem, Exception cause) {
        LOG.log(Level.ERROR, "[CIRCUIT_BREAKER] Store unavailable: " + problem + ". Breakers keep working in memory;"
                + " automatic changes are retried and operator actions refused until it is back.");
        if (cause != null && LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "[CIRCUIT_BREAKER] The store's error", cause);
        }
    }

    /** The last line of a store outage. */
    static void storeUp(long outageMillis, long failedOperations) {
        LOG.log(Level.WARNING, "[CIRCUIT_BREAKER] Store available again after " + outageMillis / 1000 + " s ("
                + failedOperations + " failed operations); pending changes are written");
    }

    public static void error(String message) {
        LOG.log(Level.ERROR, "[CIRCUIT_BREAKER] " + message);
    }

    public static void info(String message) {
        LOG.log(Level.INFO, "[CIRCUIT_BREAKER] " + message);
    }

    public static void warn(String message, Exception e) {
        LOG.log(Level.WARNING, "[CIRCUIT_BREAKER] " + message, e);
    }

    /** An error in words: its message and the first cause's, without class names where a message exists. */
    static String describe(Throwable e) {
        StringBuilder out = new StringBuilder();
        Throwable t = e;
        for (int depth = 0; t != null && depth < 3; depth++, t = t.getCause()) {
            String m = t.getMessage();
            String text = m == null || m.isBlank() ? t.getClass().getSimpleName() : m.strip();
            if (out.indexOf(text) < 0) {
                out.append(out.length() == 0 ? "" : ": ").append(text);
            }
        }
        String s = out.toString().replaceAll("\\p{Cntrl}", " ");
        return s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }

    /** A score for people and log lines: 10, 9.5. */
    static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.1f", d);
    }

    private static String percent(double load) {
        return String.format(Locale.ROOT, "%.1f", load * 100);
    }
}
