package dev.fusebox.spring.annotation;

import dev.fusebox.CallContext;
import dev.fusebox.Checks;
import dev.fusebox.CircuitBreaker;
import dev.fusebox.CircuitBreakerRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;

/**
 * Runs each {@link Breaker} method through its breaker and answers failures with its fallback.
 * What each method needs (key, call context, fallbacks) is worked out once, at start, by
 * {@link #prepare}. Thread-safe.
 */
final class BreakerInterceptor implements MethodInterceptor {

    private static final String REACTIVE_PUBLISHER = "org.reactivestreams.Publisher";
    private static final String ASYNC = "org.springframework.scheduling.annotation.Async";

    /** What one protected method needs at call time. */
    private record Plan(String key, CallContext context, boolean async, Fallbacks fallbacks) {
    }

    private final Supplier<CircuitBreakerRegistry> registry;
    private final Function<String, String> placeholders;
    /**
     * By bean class, then by the method the proxy was called with: the same inherited method may
     * have other fallbacks in another subclass.
     */
    private final Map<Class<?>, Map<Method, Plan>> plans = new ConcurrentHashMap<>();
    private volatile CircuitBreakerRegistry resolved;

    /**
     * @param registry looked up at the first call, so that the registry is not created while
     *     post-processors are
     * @param placeholders resolves {@code ${...}} in keys
     */
    BreakerInterceptor(Supplier<CircuitBreakerRegistry> registry, Function<String, String> placeholders) {
        this.registry = registry;
        this.placeholders = placeholders;
    }

    /**
     * Checks every {@link Breaker} method of {@code type} and remembers what it needs.
     *
     * @throws IllegalStateException for a wrong key, operation, load or fallback, naming the method
     */
    void prepare(Class<?> type, Method method) {
        plansOf(type).computeIfAbsent(method, m -> plan(type, m));
    }

    private Map<Method, Plan> plansOf(Class<?> type) {
        Map<Method, Plan> ofType = plans.get(type);
        return ofType != null ? ofType : plans.computeIfAbsent(type, t -> new ConcurrentHashMap<>());
    }

    private Plan plan(Class<?> type, Method method) {
        Breaker breaker = AnnotatedElementUtils.findMergedAnnotation(method, Breaker.class);
        if (breaker == null) {
            throw new IllegalStateException("no @Breaker on " + Fallbacks.describe(method));
        }
        if (Modifier.isPrivate(method.getModifiers()) || Modifier.isFinal(method.getModifiers())
                || Modifier.isStatic(method.getModifiers())) {
            throw new IllegalStateException("@Breaker on " + Fallbacks.describe(method) + ": the method is private,"
                    + " final or static, so the proxy cannot run it through the breaker; make it public or protected");
        }
        String unseen = outcomeUnseen(type, method);
        if (unseen != null) {
            throw new IllegalStateException("@Breaker on " + Fallbacks.describe(method) + ": " + unseen
                    + ", so the breaker would count every call as an instant success; return a CompletableFuture"
                    + " (or CompletionStage) that completes with the outcome, or call the registry where the outcome is"
                    + " known");
        }
        try {
            String key = Checks.key(placeholders.apply(breaker.key()));
            CallContext context = CallContext.of(breaker.operation().isEmpty() ? method.getName() : breaker.operation(),
                    breaker.load());
            boolean async = CompletionStage.class.isAssignableFrom(method.getReturnType());
            return new Plan(key, context, async, Fallbacks.find(type, method, breaker.fallbackMethod()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("@Breaker on " + Fallbacks.describe(method) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Why the outcome of {@code method} would arrive after the call returned, where the breaker does
     * not look, or null when the call's return (or its {@code CompletionStage}) is the outcome.
     * Reactive Streams and {@code @Async} are found by name: the application may have neither.
     */
    private static String outcomeUnseen(Class<?> type, Method method) {
        Class<?> returned = method.getReturnType();
        if (CompletionStage.class.isAssignableFrom(returned)) {
            return null;
        }
        if (Future.class.isAssignableFrom(returned)) {
            return "it returns " + returned.getSimpleName() + " (a Future but not a CompletionStage), whose failure"
                    + " arrives after the call returned";
        }
        if (isA(returned, REACTIVE_PUBLISHER)) {
            return "it returns " + returned.getSimpleName() + " (a Reactive Streams Publisher), whose failure"
                    + " arrives when it is subscribed to";
        }
        if (returned == void.class && (MergedAnnotations.from(method, SearchStrategy.TYPE_HIERARCHY).isPresent(ASYNC)
                || MergedAnnotations.from(type, SearchStrategy.TYPE_HIERARCHY).isPresent(ASYNC))) {
            return "it is @Async and returns void, so it fails on another thread after the call returned";
        }
        return null;
    }

    /** Whether {@code type} is, extends or implements the type named {@code name}. */
    private static boolean isA(Class<?> type, String name) {
        if (type == null) {
            return false;
        }
        if (type.getName().equals(name) || isA(type.getSuperclass(), name)) {
            return true;
        }
        return Arrays.stream(type.getInterfaces()).anyMatch(i -> isA(i, name));
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        Class<?> type = target != null ? AopUtils.getTargetClass(target) : invocation.getMethod().getDeclaringClass();
        Map<Method, Plan> ofType = plansOf(type);
        Plan plan = ofType.get(invocation.getMethod());
        if (plan == null) {
            Plan found = ofType.computeIfAbsent(AopUtils.getMostSpecificMethod(invocation.getMethod(), type),
                    m -> plan(type, m));
            ofType.putIfAbsent(invocation.getMethod(), found);
            plan = found;
        }
        CircuitBreaker breaker = registry().breaker(plan.key());
        if (plan.async()) {
            return callAsync(breaker, plan, invocation);
        }
        try {
            return breaker.call(() -> proceed(invocation), plan.context());
        } catch (Exception e) {
            Method fallback = plan.fallbacks().forError(e);
            if (fallback == null) {
                throw e;
            }
            return fallback(fallback, invocation, e);
        }
    }

    private CircuitBreakerRegistry registry() {
        CircuitBreakerRegistry r = resolved;
        if (r == null) {
            r = registry.get();
            resolved = r; // a race only looks the same singleton up twice
        }
        return r;
    }

    private static Object callAsync(CircuitBreaker breaker, Plan plan, MethodInvocation invocation) {
        CompletableFuture<Object> result = breaker.callAsync(() -> stage(invocation), plan.context());
        if (plan.fallbacks().isEmpty()) {
            return result;
        }
        return result.exceptionallyCompose(failure -> {
            Throwable error = failure instanceof CompletionException || failure instanceof ExecutionException
                    ? failure.getCause() : failure;
            Method fallback = plan.fallbacks().forError(error);
            if (fallback == null) {
                return CompletableFuture.failedFuture(error);
            }
            try {
                @SuppressWarnings("unchecked")
                CompletionStage<Object> stage = (CompletionStage<Object>) fallback(fallback, invocation, error);
                return stage;
            } catch (Throwable t) {
                return CompletableFuture.failedFuture(t);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static CompletionStage<Object> stage(MethodInvocation invocation) {
        try {
            return (CompletionStage<Object>) invocation.proceed();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            // A checked exception thrown before any future was returned: counted and failed like the others.
            throw Sneaky.<RuntimeException>rethrow(t);
        }
    }

    private static Object proceed(MethodInvocation invocation) throws Exception {
        try {
            return invocation.proceed();
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UndeclaredThrowableException(t);
        }
    }

    private static Object fallback(Method fallback, MethodInvocation invocation, Throwable error) throws Throwable {
        Object[] args = invocation.getArguments();
        Object[] withError = Arrays.copyOf(args, args.length + 1);
        withError[args.length] = error;
        try {
            return fallback.invoke(invocation.getThis(), withError);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Throws a checked exception where the signature cannot declare it; it reaches the breaker unchanged. */
    private static final class Sneaky {
        @SuppressWarnings("unchecked")
        static <E extends Throwable> E rethrow(Throwable t) throws E {
            throw (E) t;
        }
    }
}
