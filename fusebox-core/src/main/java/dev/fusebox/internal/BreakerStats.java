package dev.fusebox.internal;

import dev.fusebox.BreakerConfig;
import dev.fusebox.LoadShedException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The numbers of one breaker: lifetime counters, the weighted failure score, the optional rate
 * windows, latency and the last error. Counters are {@link LongAdder}s, so threads on different
 * cores do not contend. Thread-safe.
 */
final class BreakerStats {

    /** Scores are kept in thousandths so that 0.5-weighted timeouts add up exactly. */
    private static final long MILLI = 1000;
    private static final int MAX_ERROR_LENGTH = 1000;

    final LongAdder calls = new LongAdder();
    final LongAdder successes = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder ignored = new LongAdder();
    final LongAdder rejections = new LongAdder();
    final LongAdder sheds = new LongAdder();
    final LongAdder slowCalls = new LongAdder();
    /** Operator resets made here (not adopted from another instance). */
    final LongAdder resets = new LongAdder();
    final OperationCounters operations = new OperationCounters();
    /** The last shed's exception, reused while the operation and the load sample stay the same. */
    volatile LoadShedException lastShed;
    final CallLog callLog = new CallLog();
    final LatencyAverage latency = new LatencyAverage();

    private final BreakerConfig config;
    private final long failureMilli;
    private final long timeoutMilli;
    private final RollingCounter score;
    private final RollingCounter windowCalls;
    private final RollingCounter windowFailures;
    private final RollingCounter windowSlow;

    /** Set after a failure is added, cleared when a success resets the score: keeps the success path to one read. */
    volatile boolean hasFailures;
    volatile String lastError;
    volatile long lastFailureAt;
    /** Incremented by the thread that wins a transition from closed to open. */
    final AtomicLong tripCount = new AtomicLong();
    volatile ResetInfo lastReset;

    BreakerStats(BreakerConfig config) {
        this.config = config;
        this.failureMilli = Math.round(config.failureWeight() * MILLI);
        this.timeoutMilli = Math.round(config.timeoutWeight() * MILLI);
        long windowNanos = config.failureWindow().toNanos();
        this.score = new RollingCounter(windowNanos);
        boolean rates = config.failureRateThreshold() > 0 || config.slowCallThreshold() != null;
        this.windowCalls = rates ? new RollingCounter(windowNanos) : null;
        this.windowFailures = config.failureRateThreshold() > 0 ? new RollingCounter(windowNanos) : null;
        this.windowSlow = config.slowCallThreshold() != null ? new RollingCounter(windowNanos) : null;
    }

    /** Records a failure or timeout and returns the new score. */
    double recordFailure(long nowNanos, boolean timeout, boolean slow, Throwable error, long nowMillis) {
        (timeout ? timeouts : failures).increment();
        lastError = message(error);
        lastFailureAt = nowMillis;
        recordWindowedCall(nowNanos, true, slow);
        long total = score.add(nowNanos, timeout ? timeoutMilli : failureMilli);
        hasFailures = true;
        return (double) total / MILLI;
    }

    /** Adds a finished call to the rate windows, when rate tracking is on. */
    void recordWindowedCall(long nowNanos, boolean failed, boolean slow) {
        if (windowCalls == null) {
            return;
        }
        windowCalls.addOnly(nowNanos, 1);
        if (failed && windowFailures != null) {
            windowFailures.addOnly(nowNanos, 1);
        }
        if (slow && windowSlow != null) {
            slowCalls.increment();
            windowSlow.addOnly(nowNanos, 1);
        }
    }

    double score(long nowNanos) {
        return (double) score.sum(nowNanos) / MILLI;
    }

    /** Puts a stored score back, as if it had been added {@code ageNanos} ago. */
    void restoreScore(long nowNanos, long ageNanos, double value) {
        if (value > 0) {
            score.add(nowNanos - ageNanos, Math.round(value * MILLI));
            hasFailures = true;
        }
    }

    void clearScore() {
        hasFailures = false;
        score.clear();
    }

    /** Clears the score and the rate windows, for an operator reset. */
    void clearWindows() {
        clearScore();
        for (RollingCounter c : new RollingCounter[] {windowCalls, windowFailures, windowSlow}) {
            if (c != null) {
                c.clear();
            }
        }
    }

    double failureRate(long nowNanos) {
        return rate(windowFailures, nowNanos);
    }

    double slowRate(long nowNanos) {
        return rate(windowSlow, nowNanos);
    }

    boolean failureRateCrossed(long nowNanos) {
        return windowFailures != null && windowCalls.sum(nowNanos) >= config.minimumCalls()
                && failureRate(nowNanos) >= config.failureRateThreshold();
    }

    boolean slowRateCrossed(long nowNanos) {
        return windowSlow != null && windowCalls.sum(nowNanos) >= config.minimumCalls()
                && slowRate(nowNanos) >= config.slowCallRateThreshold();
    }

    private double rate(RollingCounter numerator, long nowNanos) {
        if (numerator == null) {
            return 0;
        }
        long total = windowCalls.sum(nowNanos);
        return total == 0 ? 0 : (double) numerator.sum(nowNanos) / total;
    }

    /** Calls admitted that have not finished yet. */
    long inFlight() {
        // Finished first, then started: a call ending between the two reads is never counted
        // as finished without having started, so the result is never below the truth by it.
        long finished = successes.sum() + failures.sum() + timeouts.sum() + ignored.sum();
        return Math.max(0, calls.sum() - finished);
    }

    static String message(Throwable error) {
        if (error == null) {
            return null;
        }
        String m = error.getMessage();
        String text = m == null || m.isBlank() ? error.getClass().getSimpleName() : m;
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }

    /** The last operator reset. */
    record ResetInfo(long atMillis, String by, String reason) {
    }
}
