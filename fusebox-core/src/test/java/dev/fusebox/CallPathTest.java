package dev.fusebox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fusebox.testing.Calls;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The order of checks on a protected call: tripped, load shed, run, record. */
class CallPathTest {

    private static final CallContext HEAVY = CallContext.of("high_load_op", 200);
    private static final CallContext AT_LIMIT = CallContext.of("deepProbe", 100);

    private final ManualClock clock = new ManualClock();
    private final TestLoad load = new TestLoad();
    private final CircuitBreakerRegistry registry = Registries.manual(clock, load).build();
    private final AtomicInteger ran = new AtomicInteger();

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void rejectsImmediatelyWhenTripped() {
        registry.trip("draftkings", "Manual trip for testing", "alice");

        assertThatThrownBy(() -> registry.call("draftkings", ran::incrementAndGet, CallContext.of("test", 10)))
                .isInstanceOfSatisfying(CircuitOpenException.class, e -> {
                    assertThat(e.key()).isEqualTo("draftkings");
                    assertThat(e.state()).isEqualTo(State.OPEN);
                    assertThat(e.remainingMillis()).isEqualTo(-1);
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.CIRCUIT_OPEN);
                    assertThat(e.getStackTrace()).isEmpty();
                });
        assertThat(ran).hasValue(0);
        assertThat(registry.status("draftkings").orElseThrow().rejections()).isEqualTo(1);
        assertThat(registry.breaker("draftkings").rejectionsByOperation())
                .containsEntry("test", new OperationRejections(1, 0));
    }

    @Test
    void shedsHeavyCallsWhenOverloaded() {
        // load 0.9, estimated load 200
        load.set(0.9);
        registry.sampleLoad();

        assertThatThrownBy(() -> registry.call("draftkings", ran::incrementAndGet, HEAVY))
                .isInstanceOfSatisfying(LoadShedException.class, e -> {
                    assertThat(e.load()).isEqualTo(0.9);
                    assertThat(e.threshold()).isEqualTo(0.85);
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.LOAD_SHED);
                    assertThat(e.getStackTrace()).isEmpty();
                });
        BreakerStatus status = registry.status("draftkings").orElseThrow();
        assertThat(ran).hasValue(0);
        assertThat(status.sheds()).isEqualTo(1);
        assertThat(status.failures()).as("a shed call is not a failure").isZero();
        assertThat(status.calls()).isZero();
        assertThat(registry.breaker("draftkings").rejectionsByOperation())
                .containsEntry("high_load_op", new OperationRejections(0, 1));
    }

    @Test
    void shedsUnderOneLoadSampleShareOneExceptionPerOperation() {
        load.set(0.9);
        registry.sampleLoad();
        Throwable first = catchThrowable(() -> registry.call("draftkings", ran::incrementAndGet, HEAVY));
        Throwable again = catchThrowable(() -> registry.call("draftkings", ran::incrementAndGet, HEAVY));
        Throwable other = catchThrowable(() -> registry.call("draftkings", ran::incrementAndGet,
                CallContext.of("bulkExport", 300)));
        load.set(0.95);
        registry.sampleLoad();
        Throwable nextSample = catchThrowable(() -> registry.call("draftkings", ran::incrementAndGet, HEAVY));

        assertThat(again).as("same operation, same sample").isSameAs(first);
        assertThat(other).isNotSameAs(first).isInstanceOfSatisfying(LoadShedException.class,
                e -> assertThat(e.operation()).isEqualTo("bulkExport"));
        assertThat(nextSample).isNotSameAs(first).isInstanceOfSatisfying(LoadShedException.class,
                e -> assertThat(e.load()).isEqualTo(0.95));
        assertThat(((LoadShedException) first).load()).isEqualTo(0.9);
        assertThat(registry.status("draftkings").orElseThrow().sheds()).as("each shed counted").isEqualTo(4);
        assertThat(ran).hasValue(0);
    }

    @Test
    void neverShedsCallsAtOrBelowTheHeavyLimit() throws Exception {
        load.set(0.99);
        registry.sampleLoad();

        registry.call("draftkings", ran::incrementAndGet, AT_LIMIT);

        assertThat(ran).hasValue(1);
    }

    @Test
    void doesNotShedAtExactlyTheThreshold() throws Exception {
        load.set(0.85);
        registry.sampleLoad();

        registry.call("draftkings", ran::incrementAndGet, HEAVY);

        assertThat(ran).hasValue(1);
    }

    @Test
    void usesTheLoadOfTheLastSampleOnly() throws Exception {
        load.set(0.95);
        // not sampled yet: the call path reads the last sample (0), never the probe
        registry.call("draftkings", ran::incrementAndGet, HEAVY);
        registry.sampleLoad();

        assertThatThrownBy(() -> registry.call("draftkings", ran::incrementAndGet, HEAVY))
                .isInstanceOf(LoadShedException.class);
        assertThat(ran).hasValue(1);
    }

    @Test
    void checksTrippedBeforeLoad() {
        load.set(0.95);
        registry.sampleLoad();
        registry.trip("draftkings", "maintenance", "alice");

        assertThatThrownBy(() -> registry.call("draftkings", ran::incrementAndGet, HEAVY))
                .isInstanceOf(CircuitOpenException.class);
        assertThat(registry.status("draftkings").orElseThrow().sheds()).isZero();
    }

    @Test
    void returnsTheResultAndCountsTheSuccess() throws Exception {
        String result = registry.call("draftkings", () -> "success", Calls.TEST);

        BreakerStatus status = registry.status("draftkings").orElseThrow();
        assertThat(result).isEqualTo("success");
        assertThat(status.successes()).isEqualTo(1);
        assertThat(status.calls()).isEqualTo(1);
        assertThat(status.failures()).isZero();
    }

    @Test
    void passesTheCallersExceptionThroughUnchanged() {
        IllegalStateException thrown = new IllegalStateException("500 Internal Server Error");

        assertThatThrownBy(() -> registry.call("draftkings", () -> {
            throw thrown;
        }, Calls.TEST)).isSameAs(thrown);
        assertThat(ErrorCode.of(thrown)).isEqualTo(ErrorCode.UPSTREAM_ERROR);
    }

    @Test
    void countsErrorsAsIgnoredAndRethrowsThem() {
        StackOverflowError error = new StackOverflowError();

        assertThatThrownBy(() -> registry.call("draftkings", () -> {
            throw error;
        }, Calls.TEST)).isSameAs(error);
        assertThat(registry.status("draftkings").orElseThrow().failures()).isZero();
        assertThat(registry.inFlightCalls()).isZero();
    }

    @Test
    void answersRejectionsWithTheFallbackInsteadOfThrowing() throws Exception {
        CircuitBreaker b = registry.breaker("draftkings");
        b.trip("maintenance", "alice");

        String answer = b.call(() -> "live", Calls.TEST, rejection -> "cached: " + rejection.errorCode());

        assertThat(answer).isEqualTo("cached: CIRCUIT_OPEN");
        assertThat(b.status().rejections()).isEqualTo(1);
        load.set(0.9);
        registry.sampleLoad();
        b.reset("done", "alice", true);
        assertThat(b.call(() -> "live", HEAVY, rejection -> "shed: " + rejection.errorCode())).isEqualTo("shed: LOAD_SHED");
        assertThat(b.call(() -> "live", Calls.TEST, rejection -> "unused")).isEqualTo("live");
        assertThatThrownBy(() -> b.call(() -> {
            throw new IllegalStateException("500");
        }, Calls.TEST, rejection -> "unused")).as("failures are not rejections").hasMessage("500");
    }

    @Test
    void createsBreakersOnFirstUseAndReusesThem() {
        CircuitBreaker first = registry.breaker("pinnacle");

        assertThat(registry.breaker("pinnacle")).isSameAs(first);
        assertThat(registry.find("unknown")).isEmpty();
        assertThat(registry.status("unknown")).isEmpty();
        assertThat(registry.isTripped("unknown")).isFalse();
    }

    @Test
    void rejectsInvalidKeys() {
        assertThatThrownBy(() -> registry.breaker("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.breaker("bad\nkey")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+000A");
        assertThatThrownBy(() -> registry.breaker("x".repeat(201))).isInstanceOf(IllegalArgumentException.class);
        assertThat(registry.breakers()).isEmpty();
    }

    @Test
    void rejectsInvalidContexts() {
        assertThatThrownBy(() -> CallContext.of("op", 1001)).hasMessageContaining("estimatedLoad must be in [0, 1000]");
        assertThatThrownBy(() -> CallContext.of(" ", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(CallContext.of("deepProbe", 50)).isEqualTo(CallContext.of("deepProbe", 50));
    }
}
