package dev.fusebox.spring.annotation;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The fallback methods of one protected method, found and checked once at start: same class, the
 * protected method's parameters and then one exception, a compatible return type. Thread-safe
 * (immutable).
 */
final class Fallbacks {

    static final Fallbacks NONE = new Fallbacks(List.of());

    /** Sorted so that the first whose exception type matches is the closest one. */
    private final List<Method> methods;

    private Fallbacks(List<Method> methods) {
        this.methods = methods;
    }

    /**
     * The fallbacks named {@code name} for {@code protectedMethod} in {@code type}.
     *
     * @throws IllegalStateException when there is none of the expected signature, saying which
     */
    static Fallbacks find(Class<?> type, Method protectedMethod, String name) {
        if (name.isEmpty()) {
            return NONE;
        }
        List<Method> named = new ArrayList<>();
        List<Method> matching = new ArrayList<>();
        ReflectionUtils.doWithMethods(type, m -> {
            named.add(m);
            if (fits(m, protectedMethod)) {
                ReflectionUtils.makeAccessible(m);
                matching.add(m);
            }
        }, m -> m.getName().equals(name) && !m.isBridge());
        if (matching.isEmpty()) {
            throw new IllegalStateException("@Breaker on " + describe(protectedMethod) + ": fallbackMethod '" + name
                    + "' must be declared in " + type.getSimpleName() + " as " + expected(protectedMethod, name)
                    + ", where Throwable may be any exception type the fallback answers"
                    + (named.isEmpty() ? "; there is no method of that name"
                            : "; found " + named.stream().map(Fallbacks::signature).collect(Collectors.joining(", "))));
        }
        // The closest exception type first: a subclass before its superclass.
        matching.sort(Comparator.comparingInt(m -> -depth(lastParameter(m))));
        return new Fallbacks(List.copyOf(matching));
    }

    /** The fallback for {@code error}, or null when none takes it. */
    Method forError(Throwable error) {
        for (Method m : methods) {
            if (lastParameter(m).isInstance(error)) {
                return m;
            }
        }
        return null;
    }

    boolean isEmpty() {
        return methods.isEmpty();
    }

    private static boolean fits(Method candidate, Method protectedMethod) {
        Class<?>[] params = candidate.getParameterTypes();
        Class<?>[] expected = protectedMethod.getParameterTypes();
        if (params.length != expected.length + 1 || !Throwable.class.isAssignableFrom(params[expected.length])) {
            return false;
        }
        if (!Arrays.equals(Arrays.copyOf(params, expected.length), expected)) {
            return false;
        }
        Class<?> returns = protectedMethod.getReturnType();
        if (returns == void.class) {
            return candidate.getReturnType() == void.class;
        }
        return ClassUtils.isAssignable(returns, candidate.getReturnType())
                && (!CompletionStage.class.isAssignableFrom(returns)
                        || CompletionStage.class.isAssignableFrom(candidate.getReturnType()));
    }

    private static Class<?> lastParameter(Method m) {
        return m.getParameterTypes()[m.getParameterCount() - 1];
    }

    private static int depth(Class<?> type) {
        int depth = 0;
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            depth++;
        }
        return depth;
    }

    static String describe(Method m) {
        return m.getDeclaringClass().getSimpleName() + "." + m.getName() + "("
                + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", ")) + ")";
    }

    private static String expected(Method protectedMethod, String name) {
        List<String> params = new ArrayList<>();
        for (Class<?> p : protectedMethod.getParameterTypes()) {
            params.add(p.getSimpleName());
        }
        params.add("Throwable");
        return "'" + protectedMethod.getGenericReturnType().getTypeName().replaceAll("[\\w.]+\\.(\\w+)", "$1") + " "
                + name + "(" + String.join(", ", params) + ")'";
    }

    private static String signature(Method m) {
        return "'" + (Modifier.isStatic(m.getModifiers()) ? "static " : "")
                + m.getGenericReturnType().getTypeName().replaceAll("[\\w.]+\\.(\\w+)", "$1") + " " + m.getName() + "("
                + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", ")) + ")'";
    }
}
