package dev.fusebox;

import dev.fusebox.internal.BreakerCore;
import dev.fusebox.internal.BreakerSnapshots;
import dev.fusebox.internal.OperatorActions;
import dev.fusebox.internal.BreakerState;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.function.LongConsumer;

/**
 * The breaker for one upstream key. Get it from {@link CircuitBreakerRegistry#breaker(String)}.
 *
 * <p>A protected call is checked in this order: tripped (reject with
 * {@link CircuitOpenException}), load shed (reject with {@link LoadShedException}), run, record the
 * outcome. Errors thrown by the call are passed to the caller unchanged, after being counted as
 * the {@link BreakerConfig#classifier() classifier} decides.
 *
 * <p>Thread-safe. Through a closed breaker, {@link #call(Callable, CallContext)} takes no lock and
 * allocates nothing; the store and the listeners are not on that path. A breaker with a
 * {@link BreakerConfig#callTimeout() call timeout} is the exception: each call then runs on another
 * thread (a virtual thread on Java 21+) so that it can be abandoned, which allocates.
 */
public final class CircuitBreaker {

    private final BreakerCore core;
    /** Where calls go when this breaker has left the registry (idle, or removed). */
    private final BreakerTable table;
    /** Whether it counts against the registry's bound: a call made it (see {@link RegistryBuilder#maxBreakers}). */
    private final boolean counted;

    CircuitBreaker(BreakerCore core, BreakerTable table, boolean counted) {
        this.core = core;
        this.table = table;
        this.counted = counted;
    }

    /** Set once when it starts leaving the registry, so that only one removal carries it out. */
    private final java.util.concurrent.atomic.AtomicBoolean leaving = new java.util.concurrent.atomic.AtomicBoolean();

    boolean counted() {
        return counted;
    }

    /** Whether this call is the one that takes it out of the registry. */
    boolean startLeaving() {
        return leaving.compareAndSet(false, true);
    }

    /** The registry's breaker for the key now that this one has left: made beyond the bound if this one was. */
    private CircuitBreaker successor() {
        return counted ? table.successor(key()) : table.getOrCreate(key());
    }

    /** The key this breaker protects (a bookmaker, an upstream host, a tenant). */
    public String key() {
        return core.key();
    }

    /** The configuration this breaker was created with. */
    public BreakerConfig config() {
        return core.config();
    }

    /** The current state. */
    public State state() {
        return core.state();
    }

    /** Whether the breaker refuses ordinary traffic (open or half-open). */
    public boolean isTripped() {
        return core.state().isTripped();
    }

    /**
     * Runs {@code callable} through the breaker with {@link CallContext#DEFAULT}.
     *
     * @see #call(Callable, CallContext)
     */
    public <T> T call(Callable<T> callable) throws Exception {
        return call(callable, CallContext.DEFAULT);
    }

    /**
     * Runs {@code callable} through the breaker.
     *
     * @return what the callable returned
     * @throws CircuitOpenException if the breaker is open; the callable did not run
     * @throws LoadShedException if the call was shed; the callable did not run
     * @throws CallTimeoutException if a {@link BreakerConfig#callTimeout() call timeout} is set and passed
     * @throws Exception whatever the callable threw, unchanged
     */
    public <T> T call(Callable<T> callable, CallContext context) throws Exception {
        Object admitted = core.admit(context);
        if (admitted instanceof FuseboxException rejected) {
            // Thrown here, in a method small enough to be inlined into the caller, so that the
            // rejection is a jump to the caller's handler. See BreakerCore#admit.
            throw rejected;
        }
        if (admitted == BreakerCore.RETIRED) {
            return callSuccessor(callable, context, null);
        }
        return core.timed() ? core.runTimed((BreakerState) admitted, callable, context)
                : core.run((BreakerState) admitted, callable, context);
    }

    /**
     * Like {@link #call(Callable, CallContext)}, but a rejection (open breaker or load shed) is
     * answered by {@code fallback} instead of thrown. This is also the cheapest way to be refused:
     * no exception travels up the stack (a thrown rejection costs the unwinding of a compiled
     * frame, about 50 ns, whenever the JIT has not inlined this method into the caller).
     * Failures of the call itself, including a {@link CallTimeoutException}, are still thrown.
     *
     * @param fallback gives the result when the call is refused; must not be null
     */
    public <T> T call(Callable<T> callable, CallContext context, Fallback<? extends T> fallback) throws Exception {
        Object admitted = core.admit(context);
        if (admitted instanceof FuseboxException rejected) {
            return fallback.onRejected(rejected);
        }
        if (admitted == BreakerCore.RETIRED) {
            return callSuccessor(callable, context, fallback);
        }
        return core.timed() ? core.runTimed((BreakerState) admitted, callable, context)
                : core.run((BreakerState) admitted, callable, context);
    }

    /**
     * Like {@link #call(Callable, CallContext)} for code that throws only unchecked exceptions.
     */
    public <T> T get(Supplier<T> supplier, CallContext context) {
        try {
            return call(supplier::get, context);
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            // Only a timed call can get here: its caller was interrupted while waiting.
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + key(), e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs an asynchronous call through the breaker. Rejections do not throw: the returned future
     * fails with {@link CircuitOpenException} or {@link LoadShedException} and the supplier is not
     * called. The outcome is recorded before the returned future completes.
     *
     * @param supplier starts the call and returns its stage; must not return null
     */
    public <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<T>> supplier, CallContext context) {
        CompletableFuture<T> result = core.callAsync(supplier, context);
        if (result != null) {
            return result;
        }
        CircuitBreaker next = successor();
        return next != null ? next.callAsync(supplier, context) : table.capacity().overflowCallAsync(key(), supplier);
    }

    /**
     * This breaker has left the registry (it was idle, or removed) while the caller kept it: the
     * call goes to the registry's breaker for the key, made anew if need be.
     */
    private <T> T callSuccessor(Callable<T> callable, CallContext context, Fallback<? extends T> fallback)
            throws Exception {
        CircuitBreaker next = successor();
        if (next == null) {
            return table.capacity().overflowCall(key(), callable);
        }
        return fallback == null ? next.call(callable, context) : next.call(callable, context, fallback);
    }


    /**
     * Trips the breaker now (maintenance, incident). It stays open until {@link #reset} is called,
     * whatever the recovery policy. The trip and its audit record are stored, in one transaction,
     * before it takes effect; if another instance changed the breaker meanwhile, the trip is made
     * on top of that change.
     *
     * @param reason why, 1 to 1,000 characters
     * @param user who, 1 to 128 characters
     * @return the status after the trip and the stored audit record
     * @throws StoreUnavailableException if the store did not take it; then nothing changed
     */
    public ActionResult trip(String reason, String user) {
        ActionResult result = OperatorActions.trip(core, Validation.reason(reason), Validation.user(user));
        return result != null ? result : table.getOrCreate(key()).trip(reason, user); // this one left the registry
    }

    /**
     * Closes the breaker and clears its failure score. The reset and its audit record are stored,
     * in one transaction, before it takes effect.
     *
     * @param force whether to reset even inside the cooldown (audited as a forced reset)
     * @return the status after the reset and the stored audit record
     * @throws ResetDeniedException if the breaker tripped less than the cooldown ago and force is
     *     false; nothing changes except the audit trail, which records the denial
     * @throws StoreUnavailableException if the store did not take the reset (or the denial);
     *     then nothing changed
     */
    public ActionResult reset(String reason, String user, boolean force) {
        ActionResult result = OperatorActions.reset(core, Validation.reason(reason), Validation.user(user), force);
        return result != null ? result : table.getOrCreate(key()).reset(reason, user, force);
    }

    /** The current status. */
    public BreakerStatus status() {
        return BreakerSnapshots.status(core);
    }

    /**
     * The weighted failure score now, as in {@link #status()} but without building one: for
     * metrics, read for thousands of breakers at every scrape.
     */
    public double failureScore() {
        return BreakerSnapshots.failureScore(core);
    }

    /** Lifetime trips, as in {@link #status()}; kept across restarts with a durable store. */
    public long tripCount() {
        return BreakerSnapshots.tripCount(core);
    }

    /** Operator resets made in this process, as in {@link #status()}. */
    public long resets() {
        return BreakerSnapshots.resets(core);
    }

    /** The average latency of sampled successful calls in ms, as in {@link #status()}; null before the first. */
    public Double averageLatencyMs() {
        return BreakerSnapshots.averageLatencyMs(core);
    }

    /** The successful calls timed for the latency figure and their total latency; see {@link LatencyTotals}. */
    public LatencyTotals latencyTotals() {
        return BreakerSnapshots.latencyTotals(core);
    }

    /**
     * Why the breaker last tripped on its own in this process: the failures that made up the score
     * (those of the failure window, at most the last 32), oldest first. Empty when it never tripped
     * on its own here; an operator's trip or another instance's leaves the evidence as it was.
     */
    public java.util.List<RecordedFailure> tripEvidence() {
        return BreakerSnapshots.tripEvidence(core);
    }

    /** Rejections per operation name (for the {@code operation} metric label), sorted by name. */
    public Map<String, OperationRejections> rejectionsByOperation() {
        Map<String, OperationRejections> out = new TreeMap<>();
        core.rejectionsByOperation().forEach((op, c) -> out.put(op, new OperationRejections(c[0], c[1])));
        return out;
    }

    /**
     * Gives the latency, in nanoseconds, of every timed successful call (one call in
     * {@link BreakerConfig#latencySampleEvery()}, or every call when a rate or slow-call
     * threshold is set) to {@code sink}, on the calling thread: for a metrics library's
     * histogram. The sink must be fast and must not throw. Null removes it.
     */
    public void latencySink(LongConsumer sink) {
        core.latencySink(sink);
    }

    BreakerCore core() {
        return core;
    }

    @Override
    public String toString() {
        return "CircuitBreaker{" + key() + ", " + state() + "}";
    }
}
