package dev.fusebox.internal;

import dev.fusebox.BreakerConfig;
import dev.fusebox.CallContext;
import dev.fusebox.Clock;
import dev.fusebox.Outcome;
import dev.fusebox.State;
import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.Cause;
import dev.fusebox.spi.BreakerSnapshot;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The engine of one breaker: admission and outcome recording. What each state does lives in the
 * state classes, every state change in {@link Transitions}, operator actions in
 * {@link OperatorActions}, statistics in {@link BreakerStats}, timed and asynchronous calls in
 * {@link TimedCalls}, and the way to the store in {@link StoreSync}.
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
    /** What {@link #admit} answers when this breaker has left the registry: ask the registry again. */
    public static final Object RETIRED = new Object();

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
    final TrialSlots trials;
    private final int sampleMask;
    private final long slowNanos;
    private final boolean timed;
    @SuppressWarnings("unused") // written through STATE
    private volatile BreakerState state;
    /** A transition waits to be written (all columns). */
    private volatile boolean stateDirty;
    /** Scores or latency changed (stats columns only). */
    private volatile boolean statsDirty;
    /** Null unless a metrics library asked for latencies; read only on timed calls. */
    private volatile LongConsumer latencySink;
    /** The latency of the trial call that closed the breaker, for its log line. */
    volatile long lastTrialLatencyNanos = -1;

    /** Held while this breaker talks to the store: operator actions, the writer, adopted changes. */
    final ReentrantLock storeLock = new ReentrantLock();
    /** The stored version this breaker's state is based on. Written holding {@link #storeLock}. */
    volatile long storedVersion;
    /** Audit records of automatic changes not written yet, oldest first; taken holding {@link #storeLock}. */
    final java.util.concurrent.ConcurrentLinkedDeque<dev.fusebox.spi.AuditRecord> pendingAudit =
            new java.util.concurrent.ConcurrentLinkedDeque<>();
    /** The newest change another instance stored, waiting for {@link #storeLock}. */
    final AtomicReference<BreakerSnapshot> inbox = new AtomicReference<>();
    /** The last commit that failed without saying whether it landed, or null. Guarded by {@link #storeLock}. */
    Commits.Unconfirmed unconfirmed;
    /**
     * Set when this breaker leaves the registry (see {@link Retirement}): a call that finds it set
     * goes to the registry's breaker for the key instead.
     */
    volatile boolean retired;
    /** Calls counted at the evicting thread's last look, and since when that count stood still; that thread's own. */
    long callsSeen = -1;
    long quietSince;
    /** The dirty flags the writer took and is writing now; 0 when it is not writing this breaker. */
    volatile int writing;

    public BreakerCore(String key, BreakerConfig config, Shared shared) {
        this.key = key;
        this.config = config;
        this.shared = shared;
        this.stats = new BreakerStats(config);
        this.trials = new TrialSlots(config.trialCalls());
        this.sampleMask = config.timesEveryCall() ? 0 : config.latencySampleEvery() - 1;
        this.timed = config.callTimeout() != null;
        this.slowNanos = config.slowCallThreshold() == null ? Long.MAX_VALUE : config.slowCallThreshold().toNanos();
        this.state = new ClosedState(Stamp.now(shared.clock()));
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

    Clock clock() {
        return shared.clock();
    }

    Stamp now() {
        return Stamp.now(shared.clock());
    }

    /** Whether calls run with a timeout. */
    public boolean timed() {
        return timed;
    }

    /**
     * Runs an admitted call with the configured timeout.
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

    /** The protected asynchronous call; null when this breaker has left the registry (see {@link #RETIRED}). */
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
        long nowNanos = clock().monotonicNanos();
        long remaining = s instanceof OpenState open ? open.remainingMillis(nowNanos) : s.state.isTripped() ? 0 : -1;
        stats.callLog.pump(key, stats.rejections.sum(), stats.sheds.sum(), remaining, shared.shedder().load(),
                nowNanos, logIntervalNanos);
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
            if (retired) {
                return RETIRED; // it left the registry tripped (removed): the key's breaker decides
            }
            Object admitted = admitNotClosed(s, ctx);
            if (!(admitted instanceof BreakerState)) {
                return admitted;
            }
            s = (BreakerState) admitted;
        }
        if (shared.shedder().shouldShed(ctx.estimatedLoad())) {
            return Refusals.shed(this, s, ctx);
        }
        stats.calls.increment();
        if (retired) { // read after the count: see Retirement#retire
            stats.calls.decrement();
            s.released(this);
            return RETIRED;
        }
        return s;
    }

    /** Each state admits in its own way; a state that changed the state asks to start again. */
    private Object admitNotClosed(BreakerState s, CallContext ctx) {
        while (true) {
            Object admitted = s.admit(this, ctx);
            if (admitted != BreakerState.AGAIN) {
                return admitted;
            }
            s = current();
        }
    }

    /** How long trial calls may run before the breaker opens again: the call timeout, or else the open wait. */
    long trialTimeoutNanos(int level) {
        return timed ? config.callTimeout().toNanos() : openWaitMillis(level) * 1_000_000;
    }

    /** The open period for a backoff level: openWait * multiplier^level, at most maxOpenWait. */
    long openWaitMillis(int level) {
        double wait = config.openWait().toMillis() * Math.pow(config.backoffMultiplier(), level);
        return (long) Math.min(wait, config.maxOpenWait().toMillis());
    }

    long startTimer() {
        if (sampleMask == 0 || (ThreadLocalRandom.current().nextInt() & sampleMask) == 0 || !stats.latency.sampled()) {
            return clock().monotonicNanos();
        }
        return NOT_TIMED;
    }

    void onSuccess(BreakerState admittedUnder, long start, CallContext ctx) {
        long latency = -1;
        if (start != NOT_TIMED) {
            long now = clock().monotonicNanos();
            latency = Math.max(0, now - start);
            stats.latency.record(latency);
            LongConsumer sink = latencySink;
            if (sink != null) {
                sink.accept(latency);
            }
            stats.recordInWindow(now, false, latency >= slowNanos);
        }
        admittedUnder.succeeded(this, latency);
        // Counted as finished last: until its outcome is in, the call is in flight, which keeps
        // its breaker in the registry (see Retirement).
        stats.successes.increment();
        if (shared.listeners().wantsSuccess()) {
            publish(new BreakerEvent.CallSucceeded(key, clock().wallMillis(), ctx.operation(), latency));
        }
    }

    /** @param forced the outcome to record regardless of the classifier, or null to classify */
    void onError(BreakerState admittedUnder, Throwable error, long start, CallContext ctx, Outcome forced) {
        Outcome outcome = forced != null ? forced : classify(error);
        if (outcome == Outcome.SUCCESS) {
            onSuccess(admittedUnder, start, ctx);
            return;
        }
        if (outcome == Outcome.IGNORED) {
            stats.ignored.increment();
            admittedUnder.released(this);
            return;
        }
        long now = clock().monotonicNanos();
        boolean slow = start != NOT_TIMED && now - start >= slowNanos;
        boolean timeout = outcome == Outcome.TIMEOUT;
        double score = stats.recordFailure(now, timeout, slow, error, clock().wallMillis());
        markDirty();
        if (shared.listeners().any()) {
            long at = clock().wallMillis();
            publish(timeout
                    ? new BreakerEvent.CallTimedOut(key, at, ctx.operation(), error, score)
                    : new BreakerEvent.CallFailed(key, at, ctx.operation(), error, score));
        }
        admittedUnder.failed(this, error);
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
     * Compare-and-set of the state, for {@link Transitions} only: exactly one thread wins a given
     * {@code from}. Nothing else is done here: the winner carries the change out afterwards.
     */
    boolean swap(BreakerState from, BreakerState to) {
        to.version = from.version + 1;
        return STATE.compareAndSet(this, from, to);
    }

    void publish(BreakerEvent event) {
        shared.listeners().publish(event);
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

    /** Forgets a local transition not written yet: a newer stored change replaced it. */
    void dropStateDirty() {
        stateDirty = false;
    }

    void markDirty() {
        statsDirty = true;
    }

    void markStateDirty() {
        stateDirty = true;
    }

    /** Whether a state change waits to be written. */
    boolean hasUnwrittenState() {
        return stateDirty;
    }

    /** Whether this breaker has changes the store has not received yet. */
    public boolean hasUnwrittenChanges() {
        return stateDirty || statsDirty;
    }

    /** Whether this breaker refuses calls because its stored state is unknown. */
    boolean stateUnknown() {
        TripInfo trip = current().trip();
        return trip != null && trip.cause() == Cause.STATE_UNKNOWN;
    }
}
