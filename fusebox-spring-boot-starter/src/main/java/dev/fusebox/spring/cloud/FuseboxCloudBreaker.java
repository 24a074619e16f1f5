package dev.fusebox.spring.cloud;

import dev.fusebox.CallContext;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.cloud.client.circuitbreaker.CircuitBreaker;

/**
 * One Fusebox breaker seen as a Spring Cloud {@link CircuitBreaker}: as Spring Cloud specifies,
 * the fallback answers every exception, a refusal by the breaker and a failure of the call alike.
 * Thread-safe.
 */
final class FuseboxCloudBreaker implements CircuitBreaker {

    private final dev.fusebox.CircuitBreaker breaker;
    private final CallContext context;

    FuseboxCloudBreaker(dev.fusebox.CircuitBreaker breaker, CallContext context) {
        this.breaker = breaker;
        this.context = context;
    }

    @Override
    public <T> T run(Supplier<T> toRun, Function<Throwable, T> fallback) {
        try {
            return breaker.call(toRun::get, context);
        } catch (InterruptedException e) {
            // only a call with a timeout waits: its caller was interrupted
            Thread.currentThread().interrupt();
            return fallback.apply(e);
        } catch (Exception e) {
            return fallback.apply(e);
        }
    }
}
