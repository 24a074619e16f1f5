package dev.fusebox.testing;

import dev.fusebox.CallContext;
import dev.fusebox.CircuitBreaker;
import java.util.concurrent.TimeoutException;

/** Protected calls with known outcomes. */
public final class Calls {

    public static final CallContext TEST = CallContext.of("test", 10);

    private Calls() {
    }

    public static String succeed(CircuitBreaker breaker) throws Exception {
        return breaker.call(() -> "ok", TEST);
    }

    /** A hard failure; returns the exception the caller saw. */
    public static Exception fail(CircuitBreaker breaker, String message) {
        try {
            breaker.call(() -> {
                throw new IllegalStateException(message);
            }, TEST);
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("the call should have failed");
    }

    public static Exception fail(CircuitBreaker breaker) {
        return fail(breaker, "500 Internal Server Error");
    }

    /** A timeout; returns the exception the caller saw. */
    public static Exception timeout(CircuitBreaker breaker) {
        try {
            breaker.call(() -> {
                throw new TimeoutException("Request timeout");
            }, TEST);
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("the call should have failed");
    }

    public static void failTimes(CircuitBreaker breaker, int n) {
        for (int i = 0; i < n; i++) {
            fail(breaker, "Error " + i);
        }
    }

    public static void timeoutTimes(CircuitBreaker breaker, int n) {
        for (int i = 0; i < n; i++) {
            timeout(breaker);
        }
    }
}
