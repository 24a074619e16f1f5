package dev.fusebox.spring.cloud;

import dev.fusebox.CallContext;
import dev.fusebox.CircuitBreakerRegistry;
import java.util.Objects;
import java.util.function.Function;
import org.springframework.cloud.client.circuitbreaker.CircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.cloud.client.circuitbreaker.ConfigBuilder;

/**
 * Spring Cloud CircuitBreaker over Fusebox: code written against {@code CircuitBreakerFactory}
 * (RestTemplate and RestClient wrappers, OpenFeign, Gateway) runs through Fusebox breakers. The id
 * given to {@link #create(String)} is the breaker's key, so its configuration is that of
 * {@code fusebox.breakers.ID}, the longest matching prefix or the defaults. What is configured
 * here per id is the {@link CallContext} (operation name and estimated load); by default the
 * operation is the id and the load 0 (never shed).
 *
 * <pre>{@code
 * factory.configure(b -> b.operation("deepProbe").load(50), "draftkings");
 * String markets = factory.create("draftkings").run(() -> client.markets(), e -> cached());
 * }</pre>
 *
 * Thread-safe.
 */
public class FuseboxCircuitBreakerFactory
        extends CircuitBreakerFactory<CallContext, FuseboxCircuitBreakerFactory.ContextBuilder> {

    private final CircuitBreakerRegistry registry;
    private volatile Function<String, CallContext> defaultContext = id -> CallContext.of(operationName(id), 0);

    public FuseboxCircuitBreakerFactory(CircuitBreakerRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public CircuitBreaker create(String id) {
        CallContext context = getConfigurations().computeIfAbsent(id, defaultContext);
        return new FuseboxCloudBreaker(registry.breaker(id), context);
    }

    @Override
    protected ContextBuilder configBuilder(String id) {
        return new ContextBuilder(operationName(id));
    }

    @Override
    public void configureDefault(Function<String, CallContext> defaultConfiguration) {
        defaultContext = Objects.requireNonNull(defaultConfiguration, "defaultConfiguration");
    }

    /** An id as an operation name: cut to the longest operation name allowed. */
    private static String operationName(String id) {
        return id.length() <= CallContext.MAX_OPERATION_LENGTH ? id : id.substring(0, CallContext.MAX_OPERATION_LENGTH);
    }

    /** Builds the {@link CallContext} of one id. Not thread-safe. */
    public static final class ContextBuilder implements ConfigBuilder<CallContext> {
        private String operation;
        private int load;

        ContextBuilder(String operation) {
            this.operation = operation;
        }

        /** The operation name in logs and metrics; default the id. */
        public ContextBuilder operation(String value) {
            operation = value;
            return this;
        }

        /** The estimated load, 0 to 1000; default 0 (never shed). */
        public ContextBuilder load(int value) {
            load = value;
            return this;
        }

        @Override
        public CallContext build() {
            return CallContext.of(operation, load);
        }
    }
}
