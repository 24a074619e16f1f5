package dev.fusebox;

import dev.fusebox.internal.BreakerCore;
import dev.fusebox.internal.BreakerLog;
import dev.fusebox.internal.Retirement;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * Keeps a registry within {@link RegistryBuilder#maxBreakers}: counts the breakers calls made
 * (those made beyond the bound apart), drops idle ones, makes room for a new key at the bound,
 * and counts the calls that ran without a breaker.
 *
 * <p>Breakers wait in a queue in the order they came, like the hand of a clock: a look takes the
 * one at the head, drops it if it has had no call since the last look and {@link Retirement may
 * go}, else puts it back at the tail. Making room looks at most {@value #MAX_LOOKS} breakers, so a
 * new key never waits for a scan of the registry.
 */
final class Capacity {

    /** Breakers looked at, at most, to make room for one new key. */
    static final int MAX_LOOKS = 64;
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;

    private final int max;
    private final long idleNanos;
    private final Clock clock;
    /** Breakers calls made, within the bound. */
    private final AtomicInteger count = new AtomicInteger();
    /** Breakers made beyond the bound: named by the application or an operator, or tripped in the store. */
    private final AtomicInteger named = new AtomicInteger();
    /** Breakers calls made, oldest first: where room is made. */
    private final ConcurrentLinkedQueue<CircuitBreaker> hand = new ConcurrentLinkedQueue<>();
    /** Breakers made beyond the bound: dropped only when idle, so making room never looks at them. */
    private final ConcurrentLinkedQueue<CircuitBreaker> namedHand = new ConcurrentLinkedQueue<>();
    private final LongAdder evicted = new LongAdder();
    private final LongAdder overflowCalls = new LongAdder();
    private volatile long lastOverflowMillis;
    private volatile long lastLogNanos = Long.MIN_VALUE;
    private long overflowLogged;

    Capacity(int max, java.time.Duration idleTimeout, Clock clock) {
        this.max = max;
        this.idleNanos = idleTimeout.toNanos();
        this.clock = clock;
    }

    /** Takes a place for a breaker a call creates; false at the bound. */
    boolean reserve() {
        int n;
        do {
            n = count.get();
            if (n >= max) {
                return false;
            }
        } while (!count.compareAndSet(n, n + 1));
        return true;
    }

    /** A breaker left: its place is given back ({@code counted}), or it was one made beyond the bound. */
    void release(boolean counted) {
        (counted ? count : named).decrementAndGet();
    }

    /** A breaker entered the registry: it starts quiet now, at the tail of the hand. */
    void added(CircuitBreaker breaker) {
        if (!breaker.counted()) {
            named.incrementAndGet();
        }
        Retirement.quietFor(breaker.core(), clock.monotonicNanos());
        (breaker.counted() ? hand : namedHand).offer(breaker);
    }

    /** A breaker left the registry: the hand lets go of it. */
    void forget(CircuitBreaker breaker) {
        (breaker.counted() ? hand : namedHand).remove(breaker);
    }

    /**
     * Drops one breaker calls made, to make room: the first of the hand that had no call since the last look
     * and may go, else the first that may go although it was called (all of those looked at are
     * in use: the oldest in the hand goes). Looks at {@value #MAX_LOOKS} at most. {@code drop}
     * takes a retired breaker out of the registry and answers whether it was there.
     */
    synchronized boolean makeRoom(Predicate<CircuitBreaker> drop) {
        long now = clock.monotonicNanos();
        CircuitBreaker busy = null; // the first that may go although it was called: kept aside
        try {
            for (int look = 0; look < MAX_LOOKS; ) {
                CircuitBreaker b = hand.poll();
                if (b == null) {
                    break;
                }
                if (Retirement.retired(b.core())) {
                    continue; // it left the registry meanwhile: not a look
                }
                look++;
                if (Retirement.quietFor(b.core(), now) >= 0) {
                    if (evict(b, now, drop)) {
                        return true;
                    }
                } else if (busy == null && Retirement.mayGo(b.core(), now)) {
                    busy = b;
                    continue;
                }
                hand.offer(b);
            }
            if (busy != null && evict(busy, now, drop)) {
                busy = null;
                return true;
            }
            return false;
        } finally {
            if (busy != null) {
                hand.offer(busy);
            }
        }
    }

    /** Drops every breaker idle for the idle timeout that may go; returns how many. */
    synchronized int sweep(Predicate<CircuitBreaker> drop) {
        if (idleNanos == 0) {
            return 0;
        }
        int dropped = sweep(hand, drop) + sweep(namedHand, drop);
        if (dropped > 0) {
            BreakerLog.info("Dropped " + dropped + " idle breakers (closed, no call for "
                    + java.time.Duration.ofNanos(idleNanos) + "); " + (count.get() + named.get()) + " remain");
        }
        return dropped;
    }

    private int sweep(ConcurrentLinkedQueue<CircuitBreaker> breakers, Predicate<CircuitBreaker> drop) {
        long now = clock.monotonicNanos();
        int dropped = 0;
        for (int n = breakers.size(); n > 0; n--) {
            CircuitBreaker b = breakers.poll();
            if (b == null) {
                break;
            }
            if (Retirement.retired(b.core())) {
                continue;
            }
            if (Retirement.quietFor(b.core(), now) >= idleNanos && evict(b, now, drop)) {
                dropped++;
                continue;
            }
            breakers.offer(b);
        }
        return dropped;
    }

    private boolean evict(CircuitBreaker b, long now, Predicate<CircuitBreaker> drop) {
        BreakerCore core = b.core();
        if (!Retirement.retire(core, now)) {
            return false;
        }
        if (drop.test(b)) {
            evicted.increment();
            return true;
        }
        return false; // no longer in the registry: removed meanwhile, and retired anyway
    }

    /** A call that ran without a breaker: counted, and logged at most once a minute. */
    void overflowed(String key) {
        overflowCalls.increment();
        lastOverflowMillis = clock.wallMillis();
        long now = clock.monotonicNanos();
        long last = lastLogNanos;
        if (last == Long.MIN_VALUE || now - last >= LOG_EVERY_NANOS) {
            synchronized (this) {
                if (lastLogNanos == last) {
                    lastLogNanos = now;
                    long total = overflowCalls.sum();
                    BreakerLog.warn("Registry full: " + count.get() + " breakers made by calls (maxBreakers " + max + ") and none"
                            + " may be dropped; calls for new keys run without a breaker, " + (total - overflowLogged)
                            + " since the last notice, the latest for '" + key.replaceAll("\\p{Cntrl}", "?") + "'",
                            null);
                    overflowLogged = total;
                }
            }
        }
    }

    /** A call for which no breaker could be made: it runs unprotected, counted. */
    <T> T overflowCall(String key, java.util.concurrent.Callable<T> callable) throws Exception {
        overflowed(key);
        return callable.call();
    }

    /** An asynchronous call for which no breaker could be made: it runs unprotected, counted. */
    <T> java.util.concurrent.CompletableFuture<T> overflowCallAsync(String key,
            java.util.function.Supplier<? extends java.util.concurrent.CompletionStage<T>> supplier) {
        overflowed(key);
        try {
            return supplier.get().toCompletableFuture();
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    /** Breakers the hands hold on to (for tests: removed ones must not stay). */
    int held() {
        return hand.size() + namedHand.size();
    }

    RegistryCapacity snapshot() {
        long last = lastOverflowMillis;
        return new RegistryCapacity(count.get(), named.get(), max, evicted.sum(),
                new RegistryCapacity.Overflow(overflowCalls.sum(), last == 0 ? null : Instant.ofEpochMilli(last)));
    }

    /** How often idle breakers are looked for: a quarter of the idle timeout, at most a minute. */
    java.time.Duration sweepInterval() {
        return java.time.Duration.ofNanos(Math.min(Math.max(idleNanos / 4, 1_000_000_000L), LOG_EVERY_NANOS));
    }
}
