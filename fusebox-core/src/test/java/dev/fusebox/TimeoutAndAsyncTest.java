package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.testing.Calls;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The optional per-call timeout, and the asynchronous call. Time moves only through the clock. */
class TimeoutAndAsyncTest {

    private final ManualClock clock = new ManualClock();
    private final CircuitBreakerRegistry registry = Registries.manual(clock, new TestLoad(),
            BreakerConfig.builder().callTimeout(Duration.ofSeconds(5)).build());
    private final CircuitBreaker breaker = registry.breaker("slow-api");
    private final ExecutorService caller = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() {
        caller.shutdownNow();
        registry.close();
    }

    @Test
    void abandonsACallThatOutlivesItsTimeout() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch upstreamDone = new CountDownLatch(1);
        Future<String> call = caller.submit(() -> breaker.call(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(); // an upstream that never answers
                return "never";
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            } finally {
                upstreamDone.countDown();
            }
        }, Calls.TEST));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        clock.advance(Duration.ofSeconds(5));

        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(CallTimeoutException.class, e -> {
                    assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.TIMEOUT);
                    assertThat(e.getMessage()).contains("timed out after 5000 ms");
                });
        assertThat(upstreamDone.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(interrupted).isTrue();
        assertThat(breaker.status().timeouts()).isEqualTo(1);
        assertThat(breaker.status().failures()).isEqualTo(0.5);
    }

    @Test
    void aCallThatIgnoresInterruptionStillReturnsToItsCallerAtTheDeadline() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch upstreamMayEnd = new CountDownLatch(1);
        Future<String> call = caller.submit(() -> breaker.call(() -> {
            started.countDown();
            while (true) { // blocking code that swallows interrupts, as some drivers do
                try {
                    if (upstreamMayEnd.await(1, TimeUnit.HOURS)) {
                        return "too late";
                    }
                } catch (InterruptedException ignored) {
                    // keeps waiting
                }
            }
        }, Calls.TEST));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        clock.advance(Duration.ofSeconds(5));

        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(CallTimeoutException.class);
        assertThat(breaker.status().timeouts()).isEqualTo(1);
        upstreamMayEnd.countDown();
    }

    @Test
    void returnsResultsAndErrorsOfCallsThatFinishInTime() throws Exception {
        int background = clock.pendingTasks();
        assertThat(breaker.call(() -> "fast", Calls.TEST)).isEqualTo("fast");
        assertThatThrownBy(() -> breaker.call(() -> {
            throw new IllegalStateException("502 Bad Gateway");
        }, Calls.TEST)).isInstanceOf(IllegalStateException.class).hasMessage("502 Bad Gateway");

        assertThat(breaker.status().successes()).isEqualTo(1);
        assertThat(breaker.status().failures()).isEqualTo(1.0);
        assertThat(clock.pendingTasks()).as("finished calls cancel their timers").isEqualTo(background);
    }

    @Test
    void timesOutAnAsyncCallAndCancelsIt() {
        CompletableFuture<String> upstream = new CompletableFuture<>();
        CompletableFuture<String> result = breaker.callAsync(() -> upstream, Calls.TEST);
        assertThat(result).isNotDone();

        clock.advance(Duration.ofSeconds(5));

        // completed on the timeout executor, not on the timer thread: wait for it
        assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(CallTimeoutException.class);
        assertThat(upstream).isCancelled();
        assertThat(breaker.status().timeouts()).isEqualTo(1);
    }

    @Test
    void recordsAsyncOutcomesBeforeCompletingTheCallersFuture() {
        CircuitBreakerRegistry r = Registries.manual(clock, new TestLoad()).build();
        CircuitBreaker b = r.breaker("async");
        CompletableFuture<String> upstream = new CompletableFuture<>();
        CompletableFuture<String> result = b.callAsync(() -> upstream, Calls.TEST);
        assertThat(r.inFlightCalls()).isEqualTo(1);

        upstream.completeExceptionally(new IllegalStateException("503"));

        assertThatThrownBy(result::join).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(b.status().failures()).isEqualTo(1.0);
        assertThat(r.inFlightCalls()).isZero();
        assertThat(b.callAsync(() -> CompletableFuture.completedFuture("ok"), Calls.TEST).join()).isEqualTo("ok");
        assertThat(b.status().failures()).isZero();
        r.close();
    }

    @Test
    void rejectsAsyncCallsWithAFailedFutureWithoutCallingTheSupplier() {
        breaker.trip("maintenance", "alice");
        AtomicInteger supplied = new AtomicInteger();

        CompletableFuture<Object> result = breaker.callAsync(() -> {
            supplied.incrementAndGet();
            return CompletableFuture.completedFuture("x");
        }, Calls.TEST);

        assertThat(result).isCompletedExceptionally();
        assertThatThrownBy(result::join).hasCauseInstanceOf(CircuitOpenException.class);
        assertThat(supplied).hasValue(0);
    }

    @Test
    void countsASupplierThatThrowsAsAFailedCall() {
        CompletableFuture<Object> result = breaker.callAsync(() -> {
            throw new IllegalStateException("connection refused");
        }, Calls.TEST);

        assertThatThrownBy(result::join).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(breaker.status().failures()).isEqualTo(1.0);
    }
}
