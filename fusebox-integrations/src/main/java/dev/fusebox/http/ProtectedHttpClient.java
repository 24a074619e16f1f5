package dev.fusebox.http;

import dev.fusebox.CallContext;
import dev.fusebox.CircuitBreaker;
import dev.fusebox.CircuitBreakerRegistry;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntPredicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A {@link HttpClient} whose requests go through a breaker per upstream (by default one per
 * host and port):
 *
 * <pre>{@code
 * HttpClient http = ProtectedHttpClient.builder(HttpClient.newHttpClient(), breakers).build();
 * HttpResponse<String> r = http.send(request, BodyHandlers.ofString());   // as before
 * }</pre>
 *
 * <ul>
 *   <li>a network error ({@link IOException}) and a 5xx answer are failures (weight 1.0);
 *   <li>a timeout ({@link java.net.http.HttpTimeoutException}) is a timeout (weight 0.5);
 *   <li>any other answer, 4xx included, is a success: the upstream works, the request was wrong.
 * </ul>
 *
 * A 5xx answer is still returned to the caller, as by any {@code HttpClient}; it only counts.
 * While the breaker is open, {@code send} throws {@link dev.fusebox.CircuitOpenException} (or
 * {@link dev.fusebox.LoadShedException}) without sending, and {@code sendAsync} returns a future
 * failed with it. Both are unchecked: catch them where a fallback makes sense. Everything else
 * (configuration, WebSockets) is the wrapped client's. Thread-safe.
 */
public final class ProtectedHttpClient extends HttpClient {

    private final HttpClient delegate;
    private final CircuitBreakerRegistry breakers;
    private final Function<HttpRequest, String> keys;
    private final Function<HttpRequest, CallContext> contexts;
    private final IntPredicate failureStatus;

    /** Carries a failure answer through the breaker, which counts it, back to the caller. */
    private static final class FailureStatus extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient HttpResponse<?> response;

        FailureStatus(HttpResponse<?> response) {
            // No host in the message: the default classifier reads "timeout" in messages as a timeout.
            super("HTTP " + response.statusCode(), null, false, false);
            this.response = response;
        }
    }

    private ProtectedHttpClient(Builder b) {
        delegate = b.delegate;
        breakers = b.breakers;
        keys = b.keys;
        contexts = b.contexts;
        failureStatus = b.failureStatus;
    }

    /** A builder wrapping {@code delegate}, with breakers from {@code breakers}. */
    public static Builder builder(HttpClient delegate, CircuitBreakerRegistry breakers) {
        return new Builder(delegate, breakers);
    }

    /**
     * The default breaker key: {@code host} (lower case) for the scheme's default port, else
     * {@code host:port}; a name longer than a key may be is cut and ends with its hash.
     */
    public static String hostKey(HttpRequest request) {
        URI uri = request.uri();
        String host = uri.getHost() == null ? "unknown" : uri.getHost().toLowerCase(java.util.Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port < 0 || port == 80 && "http".equalsIgnoreCase(uri.getScheme())
                || port == 443 && "https".equalsIgnoreCase(uri.getScheme());
        String key = defaultPort ? host : host + ":" + port;
        if (key.length() > CircuitBreakerRegistry.MAX_KEY_LENGTH) {
            // DNS allows 253 characters, more than a key: keep it readable and still one per host.
            key = key.substring(0, CircuitBreakerRegistry.MAX_KEY_LENGTH - 9) + "#"
                    + String.format("%08x", key.hashCode());
        }
        return key;
    }

    /**
     * The breaker that guards {@code request}'s host, made if need be (beyond the registry's bound,
     * like any breaker the application names: see {@link CircuitBreakerRegistry#breaker}).
     */
    public CircuitBreaker breakerFor(HttpRequest request) {
        return breakers.breaker(keys.apply(request));
    }

    /**
     * Sends through {@link #sendAsync} and waits, as the JDK's own client does, so that a breaker's
     * call timeout or an interrupt cancels the exchange instead of leaving it running.
     */
    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<T>> response = sendAsync(request, handler);
        try {
            return response.get();
        } catch (InterruptedException e) {
            response.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return sendAsync(request, handler, null);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler"); // the caller's mistake, not the upstream's failure
        AtomicReference<CompletableFuture<HttpResponse<T>>> exchange = new AtomicReference<>();
        // Through the registry, not breakerFor: hosts come from the outside world, and a call keeps
        // the registry within its bound (see RegistryBuilder#maxBreakers).
        CompletableFuture<HttpResponse<T>> counted = breakers.callAsync(keys.apply(request), () -> {
            CompletableFuture<HttpResponse<T>> sent = delegate.sendAsync(request, handler, pushPromiseHandler);
            exchange.set(sent);
            return sent.thenApply(this::counted);
        }, contexts.apply(request));
        CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
        counted.whenComplete((response, error) -> {
            if (error == null) {
                result.complete(response);
                return;
            }
            // A call timeout ends the exchange too, before the caller hears of it: the JDK's client
            // aborts a request when its own future is cancelled.
            abort(exchange.get());
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof FailureStatus answered) {
                result.complete(cast(answered.response));
            } else {
                result.completeExceptionally(cause);
            }
        });
        result.whenComplete((response, error) -> {
            if (result.isCancelled()) {
                abort(exchange.get()); // the caller gave up
            }
        });
        return result;
    }

    private static void abort(CompletableFuture<?> exchange) {
        if (exchange != null && !exchange.isDone()) {
            exchange.cancel(true);
        }
    }

    private <T> HttpResponse<T> counted(HttpResponse<T> response) {
        if (failureStatus.test(response.statusCode())) {
            throw new FailureStatus(response);
        }
        return response;
    }

    @SuppressWarnings("unchecked")
    private static <T> HttpResponse<T> cast(HttpResponse<?> response) {
        return (HttpResponse<T>) response;
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }

    @Override
    public java.net.http.WebSocket.Builder newWebSocketBuilder() {
        return delegate.newWebSocketBuilder();
    }

    /** Builds a {@link ProtectedHttpClient}. Not thread-safe. */
    public static final class Builder {
        private final HttpClient delegate;
        private final CircuitBreakerRegistry breakers;
        private Function<HttpRequest, String> keys = ProtectedHttpClient::hostKey;
        private Function<HttpRequest, CallContext> contexts = r -> CallContext.of(r.method(), 10);
        private IntPredicate failureStatus = status -> status >= 500;

        private Builder(HttpClient delegate, CircuitBreakerRegistry breakers) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
            this.breakers = Objects.requireNonNull(breakers, "breakers");
        }

        /** The breaker key of a request; default {@link #hostKey}. Must be fast and never return null. */
        public Builder key(Function<HttpRequest, String> value) {
            keys = Objects.requireNonNull(value, "key");
            return this;
        }

        /**
         * The operation context of a request (name and estimated load, for load shedding and the
         * rejection metrics); default the method with load 10. Build contexts once and return
         * them: {@code CallContext} instances are meant to be constants.
         */
        public Builder context(Function<HttpRequest, CallContext> value) {
            contexts = Objects.requireNonNull(value, "context");
            return this;
        }

        /** Which answers count as failures; default 5xx. */
        public Builder failureStatus(IntPredicate value) {
            failureStatus = Objects.requireNonNull(value, "failureStatus");
            return this;
        }

        public ProtectedHttpClient build() {
            return new ProtectedHttpClient(this);
        }
    }
}
