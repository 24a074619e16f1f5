package dev.fusebox.internal;

import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * The seed's log lines, logger {@code dev.fusebox}: through SLF4J when the application has it,
 * else through {@link System.Logger} (see {@link CoreLog}).
 */
public final class BreakerLog {

    private static final CoreLog LOG = CoreLog.get("dev.fusebox");

    private BreakerLog() {
    }

    public static void tripped(String key, double failures, String lastError, long retryInMillis) {
        LOG.log(Level.ERROR, "[CIRCUIT_BREAKER] TRIPPED: " + key + " after " + number(failures)
                + " failures. Last error: " + lastError + ". "
                + (retryInMillis < 0 ? "Manual intervention required." : "Trial calls in " + retryInMillis + "ms."));
    }

    public static void trippedByOperator(String key, String user, String reason) {
        LOG.log(Level.WARNING, "[CIRCUIT_BREAKER] TRIPPED: " + key + " by " + user + ". Reason: " + reason
                + ". Manual intervention required.");
    }

    public static void trialFailed(String key, String lastError, long retryInMillis) {
        LOG.log(Level.ERROR, "[CIRCUIT_BREAKER] TRIPPED: " + key + " again: trial call failed. Last error: "
                + lastError + ". Trial calls in " + retryInMillis + "ms.");
    }

    public static void reset(String key, String user, String reason, boolean forced) {
        LOG.log(Level.WARNING, "[CIRCUIT_BREAKER] RESET: " + key + " by " + user + ". Reason: " + reason
                + (forced ? " (FORCED)" : ""));
    }

    public static void remoteTrip(String key, String user, String reason) {
        LOG.log(Level.WARNING, "[CIRCUIT_BREAKER] TRIPPED: " + key + " by " + user + " on another instance. Reason: "
                + reason);
    }

    public static void remoteReset(String key, String user, String reason) {
        LOG.log(Level.WARNING, "[CIRCUIT_BREAKER] RESET: " + key + (user == null ? " (recovered)" : " by " + user)
                + " on another instance" + (reason == null ? "" : ". Reason: " + reason));
    }

    public static void resetDenied(String key, String user, long remainingMillis) {
        LOG.log(Level.WARNING, "[CIRCUIT_BREAKER] RESET DENIED: " + key + " by " + user + ": cooldown, "
                + remainingMillis + "ms remaining. Use force to override.");
    }

    public static void recovered(String key, long latencyMillis, boolean fromTrip) {
        Level level = fromTrip ? Level.INFO : Level.DEBUG;
        if (LOG.isLoggable(level)) {
            LOG.log(level, "[CIRCUIT_BREAKER] SUCCESS: " + key + " recovered. Latency: "
                    + (latencyMillis < 0 ? "n/a" : latencyMillis + "ms") + ". Failure count reset to 0.");
        }
    }

    public static void rejected(String key, String operation, long remainingMillis, long count) {
        LOG.log(Level.WARNING, "[CIRCUIT_BREAKER] Rejected " + operation + " for " + key + ": circuit tripped ("
                + (remainingMillis < 0 ? "manual reset required" : remainingMillis + "ms remaining") + ")"
                + (count > 1 ? "; " + count + " calls rejected since the last report" : ""));
    }

    public static void shed(String key, String operation, double load, int operationLoad, long count) {
        LOG.log(Level.WARNING, "[CIRCUIT_BREAKER] Load shed " + operation + " for " + key + ": system load "
                + percent(load) + "%, operation load " + operationLoad
                + (count > 1 ? "; " + count + " calls shed since the last report" : ""));
    }

    public static void storeError(String what, Exception e, boolean first) {
        if (first) {
            LOG.log(Level.ERROR, "[CIRCUIT_BREAKER] Store " + what + " failed; breakers keep working in memory"
                    + " and the write is retried: " + e, e);
        } else {
            LOG.log(Level.DEBUG, "[CIRCUIT_BREAKER] Store " + what + " failed again: " + e);
        }
    }

    public static void storeRecovered(long failedWrites) {
        LOG.log(Level.WARNING, "[CIRCUIT_BREAKER] Store reachable again after " + failedWrites
                + " failed writes; pending state written");
    }

    public static void warn(String message, Exception e) {
        LOG.log(Level.WARNING, "[CIRCUIT_BREAKER] " + message, e);
    }

    /** A score for people and log lines: 10, 9.5. */
    public static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.1f", d);
    }

    private static String percent(double load) {
        return String.format(Locale.ROOT, "%.1f", load * 100);
    }
}
