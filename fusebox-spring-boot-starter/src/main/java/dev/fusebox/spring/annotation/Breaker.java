package dev.fusebox.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a Spring bean's method through the Fusebox breaker for {@link #key()}:
 *
 * <pre>{@code
 * @Breaker(key = "draftkings", operation = "deepProbe", load = 50, fallbackMethod = "cachedMarkets")
 * public Markets markets(String sport) { ... }
 *
 * private Markets cachedMarkets(String sport, CircuitOpenException e) { ... }
 * }</pre>
 *
 * <p>A method that returns {@code CompletionStage} or {@code CompletableFuture} is protected as an
 * asynchronous call: a rejection or failure comes back as a failed future (or the fallback's
 * future), and the outcome is counted when the future completes. Any other method is protected as
 * a synchronous call: a rejection throws {@code CircuitOpenException} or {@code LoadShedException},
 * and what the method throws is counted and passed on unchanged. A method whose outcome arrives
 * after it returned, where the breaker cannot see it, stops the application at start: one that
 * returns a {@code Future} that is not a {@code CompletionStage}, a Reactive Streams {@code
 * Publisher} ({@code Mono}, {@code Flux}), or {@code void} under Spring's {@code @Async}.
 *
 * <p><b>Fallback.</b> {@link #fallbackMethod()} names methods of the same class (any visibility,
 * static or not) that take the protected method's parameters followed by one exception parameter,
 * and return what it returns (for an asynchronous method: a {@code CompletionStage} of the same
 * kind). The exception parameter's type chooses what the fallback answers: {@code
 * CircuitOpenException} only an open breaker, {@code FuseboxException} every refusal ({@code
 * LoadShedException}, {@code CallTimeoutException} too), {@code Exception} every failure. With
 * several such methods the one with the closest exception type is called; an exception no
 * fallback takes is passed on. A fallback that is missing or has another signature stops the
 * application at start, naming the method and the signature expected.
 *
 * <p><b>{@code call-timeout}.</b> A breaker with a call timeout runs the method on a Fusebox
 * thread ({@code fusebox-call-N}) while the caller waits, so the caller's thread-bound context is
 * not there: its transaction, {@code SecurityContextHolder}, {@code RequestContextHolder}, the
 * {@code MDC}. Give transactional methods no call timeout; bound them with the client's own
 * timeouts instead.
 *
 * <p><b>Proxies.</b> The breaker is applied by a Spring AOP proxy around the bean, so it runs
 * only when the method is called through the proxy: a call from another method of the same bean
 * ({@code this.markets(...)}) does not go through the breaker. Move the method to another bean,
 * or call the registry directly there. The method must be public or protected, and neither final
 * nor private, for the proxy to see it.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Breaker {

    /**
     * The breaker's key (an upstream, a bookmaker); {@code ${...}} placeholders are resolved from
     * the environment. Its configuration is that of {@code fusebox.breakers.KEY}, the longest
     * matching {@code fusebox.prefixes.PREFIX} or {@code fusebox.defaults}.
     */
    String key();

    /** The operation name, in logs and the {@code operation} metric tag; default the method's name. */
    String operation() default "";

    /**
     * The call's estimated load, 0 to 1000; calls above {@code fusebox.load-shedding.heavy-call-load}
     * (100) are shed while the system is overloaded. Default 0: never shed.
     */
    int load() default 0;

    /** The name of the fallback methods in the same class; default none. */
    String fallbackMethod() default "";
}
