package dev.fusebox;

import java.time.Duration;

/**
 * Ready configurations. {@link #DEFAULT} is the bookmaker breaker (manual recovery);
 * {@link #READ}, {@link #WRITE} and {@link #AUTH} are for the breakers of a protected database
 * (automatic recovery; a success resets the score, so the thresholds count consecutive failures).
 */
public final class Presets {

    /** Manual recovery, threshold 10 within 60 s, timeouts 0.5, cooldown 60 s. */
    public static final BreakerConfig DEFAULT = BreakerConfig.defaults();

    /** Reads, the most lenient: 3 failures, open 3 s backing off to 15 s, 2 successes close, 30 s window. */
    public static final BreakerConfig READ = automatic(3, 3, 15, 2, 30);

    /** Writes: 5 failures, open 10 s backing off to 60 s, 3 successes close, 60 s window. */
    public static final BreakerConfig WRITE = automatic(5, 10, 60, 3, 60);

    /** Authentication, the most tolerant: 10 failures, open 5 s backing off to 30 s, 2 successes close, 30 s window. */
    public static final BreakerConfig AUTH = automatic(10, 5, 30, 2, 30);

    private Presets() {
    }

    private static BreakerConfig automatic(int failures, int openSeconds, int maxOpenSeconds, int successes,
                                           int windowSeconds) {
        return BreakerConfig.builder()
                .recoveryPolicy(RecoveryPolicy.AUTOMATIC)
                .failureThreshold(failures)
                .openWait(Duration.ofSeconds(openSeconds))
                .maxOpenWait(Duration.ofSeconds(maxOpenSeconds))
                .successThreshold(successes)
                .failureWindow(Duration.ofSeconds(windowSeconds))
                .build();
    }
}
