package dev.fusebox.internal;

import dev.fusebox.CallContext;

/**
 * Keeps logging off the call path. A rejected or shed call only notes its context, and writes
 * it only when it differs from the last one noted, so threads rejecting the same operation never
 * write a shared cache line (no lock, no I/O); the registry's maintenance task calls
 * {@link #pump} every second, which logs the [CIRCUIT_BREAKER] line for the most recent example with the
 * count since the last line, at most once per interval per kind. The first rejection after a
 * quiet interval is therefore logged within a second.
 *
 * <p>The example fields are written by many threads without synchronisation on purpose: the
 * log shows one recent call, and which one does not matter. A {@link CallContext} is immutable,
 * so a racing read sees a whole value.
 */
final class CallLog {

    private CallContext rejected;
    private CallContext shed;

    private long rejectionsLogged;
    private long shedsLogged;
    private long lastRejectionLineNanos;
    private long lastShedLineNanos;
    private boolean started;

    void rejected(CallContext ctx) {
        if (rejected != ctx) {
            rejected = ctx;
        }
    }

    void shed(CallContext ctx) {
        if (shed != ctx) {
            shed = ctx;
        }
    }

    /**
     * Called by one maintenance thread at a time.
     *
     * @param remainingMillis what the breaker's state says now: time to a trial call, or -1
     * @param load the current sampled load
     */
    synchronized void pump(String key, long rejections, long sheds, long remainingMillis, double load,
                           long nowNanos, long intervalNanos) {
        if (!started) {
            started = true;
            lastRejectionLineNanos = nowNanos - intervalNanos;
            lastShedLineNanos = nowNanos - intervalNanos;
        }
        long newRejections = rejections - rejectionsLogged;
        if (newRejections > 0 && nowNanos - lastRejectionLineNanos >= intervalNanos) {
            BreakerLog.rejected(key, operation(rejected), remainingMillis, newRejections);
            rejectionsLogged = rejections;
            lastRejectionLineNanos = nowNanos;
        }
        long newSheds = sheds - shedsLogged;
        if (newSheds > 0 && nowNanos - lastShedLineNanos >= intervalNanos) {
            BreakerLog.shed(key, operation(shed), load, shed == null ? 0 : shed.estimatedLoad(), newSheds);
            shedsLogged = sheds;
            lastShedLineNanos = nowNanos;
        }
    }

    private static String operation(CallContext ctx) {
        return ctx == null ? "call" : ctx.operation();
    }
}
