package dev.fusebox.internal;

import dev.fusebox.BreakerConfig;
import dev.fusebox.LoadShedException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The numbers of one breaker: lifetime counters, the weighted failure score, the optional rate
 * window, latency and the last error. Counters are {@link LongAdder}s, so threads on different
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
    /** Null unless a rate threshold or a slow-call threshold is set. */
    private final OutcomeWindow window;

    /** Set after a failure is added, cleared when a success resets the score: keeps the success path to one read. */
    volatile boolean hasFailures;
    volatile String lastError;
    volatile long lastFailureAt;
    /** The recent failures; created at the first one, so that a breaker that never fails carries none. */
    private volatile FailureLog failureLog;
    /** The failures that made up the score when the breaker last tripped on its own, oldest first. */
    volatile java.util.List<dev.fusebox.RecordedFailure> tripEvidence = java.util.List.of();
    /** Incremented once per trip from closed (by the thread whose transition won). */
    final AtomicLong tripCount = new AtomicLong();
    volatile ResetInfo lastReset;

    BreakerStats(BreakerConfig config) {
        this.config = config;
        this.failureMilli = Math.round(config.failureWeight() * MILLI);
        this.timeoutMilli = Math.round(config.timeoutWeight() * MILLI);
        long windowNanos = config.failureWindow().toNanos();
        this.score = new RollingCounter(windowNanos);
        boolean rates = config.failureRateThreshold() > 0 || config.slowCallThreshold() != null;
        this.window = rates ? new OutcomeWindow(windowNanos) : null;
    }

    /** Whether outcomes go to the rate window, so that every recorded outcome must check the rates. */
    boolean tracksRates() {
        return window != null;
    }

    /** Records a failure or timeout and returns the new score. */
    double recordFailure(long nowNanos, boolean timeout, boolean slow, Throwable error, long nowMillis) {
        String message = message(error);
        lastError = message;
        lastFailureAt = nowMillis;
        log().add(nowMillis, timeout, message, (double) (timeout ? timeoutMilli : failureMilli) / MILLI);
        recordInWindow(nowNanos, true, slow);
        long total = score.add(nowNanos, timeout ? timeoutMilli : failureMilli);
        hasFailures = true;
        // Counted as finished last: until its score is in, the call is in flight, which keeps its
        // breaker in the registry (see Retirement).
        (timeout ? timeouts : failures).increment();
        return (double) total / MILLI;
    }

    private FailureLog log() {
        FailureLog log = failureLog;
        if (log == null) {
            synchronized (this) {
                log = failureLog;
                if (log == null) {
                    log = new FailureLog();
                    failureLog = log;
                }
            }
        }
        return log;
    }

    /** Keeps the failures of the last window as the evidence of the trip made now. */
    void keepTripEvidence(long nowMillis) {
        FailureLog log = failureLog;
        tripEvidence = log == null ? java.util.List.of()
                : log.since(nowMillis - config.failureWindow().toMillis());
    }

    /** Adds a finished call to the rate window, when rate tracking is on. */
    void recordInWindow(long nowNanos, boolean failed, boolean slow) {
        if (window == null) {
            return;
        }
        if (slow) {
            slowCalls.increment();
        }
        window.record(nowNanos, failed, slow);
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

    /** Clears the score and the rate window: the breaker starts counting afresh. */
    void clearWindows() {
        clearScore();
        if (window != null) {
            window.clear();
        }
    }

    /** Failed calls / calls in the window, or 0 when rate tracking is off. */
    double failureRate(long nowNanos) {
        return config.failureRateThreshold() > 0 ? window.failureRate(nowNanos) : 0;
    }

    /**
     * Why the score or a rate is over its threshold now, from one reading of each; null when none is.
     */
    String thresholdCrossed(long nowNanos) {
        double s = score(nowNanos);
        if (s >= config.failureThreshold()) {
            return BreakerLog.number(s) + " failures";
        }
        if (window == null) {
            return null;
        }
        if (config.failureRateThreshold() > 0) {
            double rate = window.failureRate(nowNanos, config.minimumCalls());
            if (rate >= config.failureRateThreshold()) {
                return "failure rate " + Math.round(rate * 100) + "%";
            }
        }
        if (config.slowCallThreshold() != null) {
            double rate = window.slowRate(nowNanos, config.minimumCalls());
            if (rate >= config.slowCallRateThreshold()) {
                return "slow-call rate " + Math.round(rate * 100) + "%";
            }
        }
        return null;
    }

    /** Calls admitted that have not finished yet. */
    long inFlight() {
        // Finished first, then started: a call ending between the two reads is never counted
        // as finished without having started, so the result is never below the truth by it.
        long finished = successes.sum() + failures.sum() + timeouts.sum() + ignored.sum();
        return Math.max(0, calls.sum() - finished);
    }

    /**
     * An error's message as it is shown and stored: at most 1,000 characters, line breaks and tabs
     * as spaces, and any other control character or unpaired surrogate as U+FFFD. An upstream's
     * text is not ours to trust, and a database refuses some of it (PostgreSQL refuses NUL): one
     * such message must not make a breaker's state impossible to store.
     */
    static String message(Throwable error) {
        if (error == null) {
            return null;
        }
        String m = error.getMessage();
        String text = m == null || m.isBlank() ? error.getClass().getSimpleName() : m;
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_ERROR_LENGTH));
        for (int i = 0; i < text.length() && out.length() < MAX_ERROR_LENGTH; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (out.length() + 2 > MAX_ERROR_LENGTH) {
                    break; // never half a pair
                }
                out.append(c).append(text.charAt(++i));
            } else if (c == '\n' || c == '\r' || c == '\t') {
                out.append(' ');
            } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The last operator reset. */
    record ResetInfo(long atMillis, String by, String reason) {
    }
}
