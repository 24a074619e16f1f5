package dev.fusebox.internal;

import dev.fusebox.BreakerConfig;
import dev.fusebox.CallContext;
import dev.fusebox.CircuitOpenException;
import dev.fusebox.LoadShedException;
import dev.fusebox.Outcome;
import dev.fusebox.State;
import dev.fusebox.event.BreakerEvent;
import dev.fusebox.spi.BreakerSnapshot;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The engine of one breaker: admission and outcome recording. Automatic transitions live in
 * {@link AutoTransitions}, operator actions in {@link BreakerControl}, statistics in
 * {@link BreakerStats}, timed and asynchronous calls in {@link TimedCalls}.
 *
 * <p>The call path through a closed breaker reads the state once (volatile), compares the
 * call's estimated load with the heavy-call limit (and only for a heavy call reads the sampled
 * load), adds to two {@code LongAdder}s, and on one call in {@code latencySampleEvery} reads the
 * clock twice. It takes no lock and allocates nothing. Thread-safe.
 */
public final class BreakerCore {

    private static final VarHandle STATE;
    static final long NOT_TIMED = Long.MIN_VALUE;
    static final int STATE_DIRTY = 1;
    static final int STATS_DIRTY = 2;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(BreakerCore.class, "state", BreakerState.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final String key;
    final BreakerConfig config;
    final Shared shared;
    final BreakerStats stats;
    private final int sampleMask;
    private final long slowNanos;
    private final boolean timed;
    @SuppressWarnings("unused") // written through STATE
    private volatile BreakerState state = new ClosedState();
    /** A transition waits to be written (all columns). */
    private volatile boolean stateDirty;
    /** Scores or latency changed (stats columns only). */
    private volatile boolean statsDirty;
    /** Null unless a metrics library asked for latencies; read only on timed calls. */
    private volatile LongConsumer latencySink;

    public BreakerCore(String key, BreakerConfig config, Shared shared) {
        this.key = key;
        this.config = config;
        this.shared = shared;
        this.stats = new BreakerStats(config);
        this.sampleMask = config.timesEveryCall() ? 0 : config.latencySampleEvery() - 1;
        this.timed = config.callTimeout() != null;
        this.slowNanos = config.slowCallThreshold() == null ? Long.MAX_VALUE : config.slowCallThreshold().toNanos();
    }

    public String key() {
        return key;
    }

    public BreakerConfig config() {
        return config;
    }

    public State state() {
        return current().state;
    }

    BreakerState current() {
        return (BreakerState) STATE.getVolatile(this);
    }

    /** Whether calls run with a timeout (on the timeout executor). */
    public boolean timed() {
        return timed;
    }

    /**
     * Runs an admitted call with the configured timeout, on the timeout executor.
     *
     * @param admitted what {@link #admit} returned, when it was not a rejection
     */
    public <T> T runTimed(BreakerState admitted, Callable<T> callable, CallContext ctx) throws Exception {
        return TimedCalls.call(this, admitted, callable, ctx);
    }

    /**
     * Runs an admitted call and records its outcome.
     *
     * @param admitted what {@link #admit} returned, when it was not a rejection
     */
    public <T> T run(BreakerState admitted, Callable<T> callable, CallContext ctx) throws Exception {
        long start = startTimer();
        T result;
        try {
            result = callable.call();
        } catch (Exception e) {
            onError(admitted, e, start, ctx, null);
            throw e;
        } catch (Error e) {
            onError(admitted, e, start, ctx, Outcome.IGNORED);
            throw e;
        }
        onSuccess(admitted, start, ctx);
        return result;
    }

    /** The protected asynchronous call. */
    public <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<T>> supplier, CallContext ctx) {
        return TimedCalls.callAsync(this, supplier, ctx);
    }

    /** operation -> {rejected because tripped, shed}. */
    public Map<String, long[]> rejectionsByOperation() {
        return stats.operations.snapshot();
    }

    /** Told once for each operation name this breaker rejects or sheds for the first time. */
    public void onNewOperation(Consumer<String> hook) {
        stats.operations.onAdded = hook;
    }

    /** Receives the latency (ns) of each timed successful call, on the calling thread; null for none. */
    public void latencySink(LongConsumer sink) {
        latencySink = sink;
    }

    /** Calls admitted that have not finished. */
    public long inFlight() {
        return stats.inFlight();
    }

    /** Maintenance, once a second: logs rejections and sheds, folds latency samples into the average. */
    public void maintain(long logIntervalNanos) {
        BreakerState s = current();
        long remaining = s instanceof OpenState open && !open.latched()
                ? Math.max(0, open.nextAttemptAt - shared.clock().wallMillis())
                : s instanceof HalfOpenState ? 0 : -1;
        stats.callLog.pump(key, stats.rejections.sum(), stats.sheds.sum(), remaining, shared.shedder().load(),
                shared.clock().monotonicNanos(), logIntervalNanos);
        if (stats.latency.fold()) {
            markDirty(); // the new average is written behind, like the score
        }
    }

    /**
     * Checks, in order: tripped, then load shed. Returns the state the call is admitted under
     * (and counts the call as started), or the {@link dev.fusebox.FuseboxException} to throw.
     * It never throws itself: the caller throws, from a frame small enough to be inlined into
     * user code, so that a rejection is a jump to the user's handler rather than an unwinding
     * through compiled frames (measured: 63 ns against 13 ns per rejection).
     */
    public Object admit(CallContext ctx) {
        BreakerState s = current();
        if (s.state != State.CLOSED) {
            Object admitted = admitTripped(s, ctx);
            if (!(admitted instanceof BreakerState)) {
                return admitted;
            }
            s = (BreakerState) admitted;
        }
        if (shared.shedder().shouldShed(ctx.estimatedLoad())) {
            return shed(s, ctx);
        }
        stats.calls.increment();
        return s;
    }

    /** How long trial calls may hold their permits: the call timeout, or else the open period. */
    private long trialTimeoutMillis(int level) {
        return timed ? config.callTimeout().toMillis() : AutoTransitions.openWait(config, level);
    }

    /** Returns the half-open state that admitted the call, or the rejection to throw. */
    private Object admitTripped(BreakerState s, CallContext ctx) {
        while (true) {
            if (s instanceof OpenState open) {
                if (open.latched()) {
                    return reject(open, ctx, -1, open.rejection);
                }
                long remaining = open.nextAttemptAt - shared.clock().wallMillis();
                if (remaining > 0) {
                    return reject(open, ctx, remaining, open.rejection);
                }
                HalfOpenState half = new HalfOpenState(key, open.trip, open.level, config.trialCalls());
                if (transition(open, half)) {
                    transitioned(open, half);
                }
            } else if (s instanceof HalfOpenState half) {
                if (half.tryAcquire()) {
                    return half;
                }
                if (shared.clock().wallMillis() - half.since < trialTimeoutMillis(half.level)) {
                    return reject(half, ctx, 0, half.noPermitLeft);
                }
                // The trials that hold the permits have run too long (hung, or an async stage that
                // never completes): start a fresh half-open period. Their late outcomes act on the
                // old instance and are ignored, because its transitions can no longer win.
                HalfOpenState fresh = new HalfOpenState(key, half.trip, half.level, config.trialCalls());
                if (transition(half, fresh)) {
                    transitioned(half, fresh);
                }
            } else {
                return s;
            }
            s = current();
        }
    }

    private CircuitOpenException reject(BreakerState s, CallContext ctx, long remaining, CircuitOpenException rejection) {
        stats.rejections.increment();
        stats.operations.rejected(ctx.operation());
        stats.callLog.rejected(ctx);
        if (shared.listeners().any()) {
            publish(new BreakerEvent.CallRejected(key, now(), ctx.operation(), s.state, remaining));
        }
        return rejection;
    }

    private LoadShedException shed(BreakerState admittedUnder, CallContext ctx) {
        if (admittedUnder instanceof HalfOpenState half) {
            half.release();
        }
        LoadShedder shedder = shared.shedder();
        double load = shedder.load();
        stats.sheds.increment();
        stats.operations.shed(ctx.operation());
        stats.callLog.shed(ctx);
        if (shared.listeners().any()) {
            publish(new BreakerEvent.CallShed(key, now(), ctx.operation(), ctx.estimatedLoad(), load,
                    shedder.threshold()));
        }
        // Sheds of one operation under one load sample share an exception: it is immutable, and
        // the sample changes only when the background probe runs.
        LoadShedException last = stats.lastShed;
        if (last != null && last.load() == load && last.operationLoad() == ctx.estimatedLoad()
                && last.threshold() == shedder.threshold() && last.operation().equals(ctx.operation())) {
            return last;
        }
        LoadShedException fresh = new LoadShedException(key, ctx.operation(), ctx.estimatedLoad(), load,
                shedder.threshold());
        stats.lastShed = fresh;
        return fresh;
    }

    long startTimer() {
        if (sampleMask == 0 || (ThreadLocalRandom.current().nextInt() & sampleMask) == 0) {
            return shared.clock().monotonicNanos();
        }
        return NOT_TIMED;
    }

    void onSuccess(BreakerState admittedUnder, long start, CallContext ctx) {
        stats.successes.increment();
        long latency = -1;
        if (start != NOT_TIMED) {
            long now = shared.clock().monotonicNanos();
            latency = Math.max(0, now - start);
            stats.latency.record(latency);
            LongConsumer sink = latencySink;
            if (sink != null) {
                sink.accept(latency);
            }
            stats.recordWindowedCall(now, false, latency >= slowNanos);
        }
        if (admittedUnder.state == State.CLOSED) {
            if (stats.hasFailures && config.successResetsFailures() && current() == admittedUnder) {
                stats.clearScore();
                markDirty();
                BreakerLog.recovered(key, latency < 0 ? -1 : latency / 1_000_000, false);
            }
            if (latency >= slowNanos) {
                AutoTransitions.checkThresholds(this, (ClosedState) admittedUnder);
            }
        } else if (admittedUnder instanceof HalfOpenState half && half.succeeded(config.successThreshold())) {
            AutoTransitions.recover(this, half, latency);
        }
        if (shared.listeners().wantsSuccess()) {
            publish(new BreakerEvent.CallSucceeded(key, now(), ctx.operation(), latency));
        }
    }

    /** @param forced the outcome to record regardless of the classifier, or null to classify */
    void onError(BreakerState admittedUnder, Throwable error, long start, CallContext ctx, Outcome forced) {
        Outcome outcome = forced != null ? forced : classify(error);
        long now = shared.clock().monotonicNanos();
        boolean slow = start != NOT_TIMED && now - start >= slowNanos;
        if (outcome == Outcome.SUCCESS) {
            onSuccess(admittedUnder, start, ctx);
            return;
        }
        if (outcome == Outcome.IGNORED) {
            stats.ignored.increment();
            if (admittedUnder instanceof HalfOpenState half) {
                half.release();
            }
            return;
        }
        boolean timeout = outcome == Outcome.TIMEOUT;
        double score = stats.recordFailure(now, timeout, slow, error, shared.clock().wallMillis());
        markDirty();
        if (shared.listeners().any()) {
            publish(timeout
                    ? new BreakerEvent.CallTimedOut(key, now(), ctx.operation(), error, score)
                    : new BreakerEvent.CallFailed(key, now(), ctx.operation(), error, score));
        }
        if (admittedUnder instanceof ClosedState closed) {
            AutoTransitions.checkThresholds(this, closed);
        } else if (admittedUnder instanceof HalfOpenState half && half.failed()) {
            AutoTransitions.reopen(this, half, error);
        }
    }

    private Outcome classify(Throwable error) {
        try {
            Outcome o = config.classifier().classify(error);
            return o == null ? Outcome.FAILURE : o;
        } catch (Exception e) {
            return Outcome.FAILURE;
        }
    }

    /**
     * Swaps the state. Only the thread whose compare-and-set succeeds goes on; nothing else is
     * done here. The winner first updates what goes with the new state (trip count, score,
     * reset data) and then calls {@link #transitioned}: a store writer that snapshotted between
     * the swap and those updates would otherwise write the new state with stale numbers and
     * clear the dirty flag.
     */
    boolean transition(BreakerState from, BreakerState to) {
        return transition(from, to, shared.clock().wallMillis());
    }

    /** A transition stamped with the time the state began (another instance's, for a remote change). */
    boolean transition(BreakerState from, BreakerState to, long since) {
        to.since = since;
        to.version = from.version + 1;
        return STATE.compareAndSet(this, from, to);
    }

    /** After a won {@link #transition}: asks for the write-behind and publishes the change. */
    void transitioned(BreakerState from, BreakerState to) {
        markStateDirty();
        shared.store().requestFlush();
        if (shared.listeners().any() && from.state != to.state) {
            publish(new BreakerEvent.StateChanged(key, now(), from.state, to.state, to.version));
        }
    }

    /** Replaces the state unconditionally, for restoring from a store. */
    void restore(BreakerState to, long since) {
        to.since = since;
        STATE.setVolatile(this, to);
    }

    void publish(BreakerEvent event) {
        shared.listeners().publish(event);
    }

    long now() {
        return shared.clock().wallMillis();
    }

    /**
     * Takes the pending-write flags: {@link #STATE_DIRTY}, {@link #STATS_DIRTY}, both or 0. A flag
     * set again while the snapshot is taken stays set, so that change is written next time.
     */
    int takeDirty() {
        int taken = 0;
        if (stateDirty) {
            stateDirty = false;
            taken |= STATE_DIRTY;
        }
        if (statsDirty) {
            statsDirty = false;
            taken |= STATS_DIRTY;
        }
        return taken;
    }

    /** Puts flags taken by {@link #takeDirty} back after a failed write. */
    void restoreDirty(int flags) {
        if ((flags & STATE_DIRTY) != 0) {
            stateDirty = true;
        }
        if ((flags & STATS_DIRTY) != 0) {
            statsDirty = true;
        }
    }

    void markDirty() {
        statsDirty = true;
    }

    void markStateDirty() {
        stateDirty = true;
    }

    /** Whether this breaker has changes the store has not received yet. */
    public boolean hasUnwrittenChanges() {
        return stateDirty || statsDirty;
    }

    /** The snapshot to store. */
    public BreakerSnapshot snapshot() {
        return BreakerSnapshots.of(this, current());
    }
}
