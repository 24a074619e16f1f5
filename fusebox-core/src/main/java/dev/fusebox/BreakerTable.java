package dev.fusebox;

import dev.fusebox.event.Cause;
import dev.fusebox.internal.BreakerCore;
import dev.fusebox.internal.BreakerLog;
import dev.fusebox.internal.Listeners;
import dev.fusebox.internal.RemoteChanges;
import dev.fusebox.internal.Retirement;
import dev.fusebox.spi.BreakerSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A registry's breakers by key, and the stored state each must start from: the rows read at
 * start, the changes the store's feed tells of, the rows read when an unreadable store becomes
 * readable, and the trips of breakers removed from the registry.
 *
 * <p>No breaker is ever visible before its stored state is in it: while the stored state is
 * unknown, new breakers start refusing calls; a breaker made again for a key whose tripped breaker
 * was removed starts tripped.
 */
final class BreakerTable {

    private final RegistryRuntime runtime;
    private final Capacity capacity;
    private final ConcurrentHashMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    /**
     * The last state of tripped breakers that were removed, by key, kept up to date from the
     * store's feed: the breaker made again for the key starts from it, as tripped as it is in the
     * store and on every other instance.
     */
    private final ConcurrentHashMap<String, BreakerSnapshot> removedTrips = new ConcurrentHashMap<>();
    private final RegistryEvents events = new RegistryEvents();
    /** Why the stored state is unknown, or null once it was read. Written holding {@link #unknownLock}. */
    private volatile String stateUnknown;
    private volatile boolean stateUnread;
    private final Object unknownLock = new Object();
    private final Object loadLock = new Object();
    /** The breaker whose removal this thread is telling the listeners of, if any. */
    private final ThreadLocal<CircuitBreaker> leavingHere = new ThreadLocal<>();

    BreakerTable(RegistryRuntime runtime, Capacity capacity) {
        this.runtime = runtime;
        this.capacity = capacity;
    }

    /**
     * Reads the stored state at start; when it cannot, follows {@code policy}. Every tripped row
     * becomes a breaker. Closed rows are history unless recent: those written within the idle
     * timeout (all of them when idle breakers are kept) become breakers too, the newest first, up
     * to the bound.
     */
    void load(UnreadableStatePolicy policy, Duration idleTimeout) {
        List<BreakerSnapshot> stored;
        try {
            stored = runtime.storeSync().store().loadAll();
        } catch (RuntimeException e) {
            unreadable(policy, e);
            return;
        }
        long recentSince = idleTimeout.isZero() ? Long.MIN_VALUE
                : runtime.shared().clock().wallMillis() - idleTimeout.toMillis();
        List<BreakerSnapshot> closed = new ArrayList<>();
        for (BreakerSnapshot snapshot : stored) {
            if (snapshot.state().isTripped()) {
                restore(snapshot, false);
            } else if (snapshot.updatedAt() >= recentSince) {
                closed.add(snapshot);
            }
        }
        closed.sort(java.util.Comparator.comparingLong(BreakerSnapshot::updatedAt).reversed());
        for (BreakerSnapshot snapshot : closed) {
            if (!capacity.reserve()) {
                break;
            }
            restore(snapshot, true);
        }
    }

    private void restore(BreakerSnapshot snapshot, boolean reserved) {
        try {
            Checks.key(snapshot.key());
            RemoteChanges.restore(create(snapshot.key(), reserved).core(), snapshot);
        } catch (RuntimeException e) {
            if (reserved && breakers.get(snapshot.key()) == null) {
                capacity.release(true);
            }
            BreakerLog.warn("Ignoring stored state of '" + printable(snapshot.key()) + "': " + e.getMessage(), e);
        }
    }

    private void unreadable(UnreadableStatePolicy policy, RuntimeException e) {
        String why = "the stored state could not be read (" + e.getMessage() + ")";
        String sentence = Character.toUpperCase(why.charAt(0)) + why.substring(1);
        switch (policy) {
            case FAIL_BUILD -> {
                runtime.close();
                throw new StoreUnavailableException(null, "Cannot start: " + why, e);
            }
            case START_CLOSED -> BreakerLog.error(sentence + "; starting with every breaker closed, as configured."
                    + " Calls may reach upstreams an operator tripped until the state is read.");
            default -> {
                stateUnknown = "state unknown: " + why;
                BreakerLog.error(sentence + ". Every breaker refuses calls until it can be; the store is read again"
                        + " at every store check.");
            }
        }
        stateUnread = true;
        runtime.storeSync().watchUnreadable(e);
    }

    /** Whether the stored state still has to be read again (it could not be read at start). */
    boolean stateUnread() {
        return stateUnread;
    }

    CircuitBreaker find(String key) {
        return key == null ? null : breakers.get(key);
    }

    Collection<CircuitBreaker> all() {
        return breakers.values();
    }

    /** The breaker for a valid {@code key}, created on first use, beyond the bound if need be. */
    CircuitBreaker getOrCreate(String key) {
        CircuitBreaker existing = breakers.get(key);
        if (existing != null && !Retirement.retired(existing.core())) {
            return existing;
        }
        Checks.key(key);
        awaitRetiredGone(key);
        return create(key, false);
    }

    /**
     * The breaker for a call on {@code key}: the existing one, or a new one within the bound
     * (making room if need be); null when the registry is full and no breaker may go.
     */
    CircuitBreaker forCall(String key) {
        CircuitBreaker existing = breakers.get(key);
        return existing != null ? existing : forNewKey(key);
    }

    private CircuitBreaker forNewKey(String key) {
        Checks.key(key);
        awaitRetiredGone(key);
        // A place made free can be taken by another thread before this one: a few tries.
        for (int attempt = 0; attempt < 3; attempt++) {
            if (capacity.reserve()) {
                return create(key, true);
            }
            CircuitBreaker made = breakers.get(key);
            if (made != null) {
                return made; // another thread made it meanwhile
            }
            if (!capacity.makeRoom(this::drop)) {
                break;
            }
        }
        if (stateUnknown != null || removedTrips.containsKey(key)) {
            // It must refuse calls (its state is unknown, or its trip was kept): never unprotected.
            return create(key, false);
        }
        return breakers.get(key);
    }

    /** For a call that found its breaker retired: the breaker for the key now, or null when full. */
    CircuitBreaker successor(String key) {
        awaitRetiredGone(key);
        return forCall(key);
    }

    /** Waits while the map still holds a retired breaker for {@code key}: it is on its way out. */
    private void awaitRetiredGone(String key) {
        CircuitBreaker b;
        while ((b = breakers.get(key)) != null && Retirement.retired(b.core())) {
            if (b == leavingHere.get()) {
                throw new IllegalStateException("A registry listener cannot use the breaker for '" + printable(key)
                        + "' while it is being removed: it would wait for itself");
            }
            Thread.yield();
        }
    }

    /**
     * Takes a retired breaker out of the registry, once: its listeners hear of it while it is
     * still in the map (so no breaker for its key can be made before they have), then it leaves
     * the map and gives its place back.
     */
    private boolean drop(CircuitBreaker breaker) {
        if (breakers.get(breaker.key()) != breaker || !breaker.startLeaving()) {
            return false; // removed meanwhile, and not twice
        }
        leavingHere.set(breaker);
        try {
            events.removed(breaker);
        } finally {
            leavingHere.remove();
        }
        breakers.remove(breaker.key(), breaker);
        capacity.release(breaker.counted());
        return true;
    }

    /** Drops the breakers idle for the idle timeout; run by the registry's background work. */
    void sweep() {
        capacity.sweep(this::drop);
    }

    /** The bound: how full the registry is, and the calls that run without a breaker. */
    Capacity capacity() {
        return capacity;
    }

    private CircuitBreaker create(String key, boolean reserved) {
        if (stateUnknown == null) {
            return createNow(key, reserved);
        }
        synchronized (unknownLock) {
            return createNow(key, reserved);
        }
    }

    private CircuitBreaker createNow(String key, boolean reserved) {
        boolean[] created = new boolean[1];
        CircuitBreaker breaker;
        // Its first event waits until it is in the map: a listener may look it up (or create others).
        try (Listeners.Held events = runtime.shared().listeners().hold()) {
            breaker = breakers.computeIfAbsent(key, k -> {
                created[0] = true;
                BreakerCore core = new BreakerCore(k, runtime.configFor(k), runtime.shared());
                // Its stored state goes in before anyone can call through it.
                String unknown = stateUnknown;
                BreakerSnapshot removedTrip = removedTrips.remove(k);
                if (unknown != null) {
                    RemoteChanges.unknown(core, unknown);
                } else if (removedTrip != null) {
                    RemoteChanges.restore(core, removedTrip);
                }
                return new CircuitBreaker(core, this, reserved);
            });
        }
        if (!created[0]) {
            if (reserved) {
                capacity.release(true); // the place taken for it was not needed
            }
            return breaker;
        }
        capacity.added(breaker);
        events.added(breaker);
        return breaker;
    }

    /**
     * Removes a breaker. What it has not written yet is still written; a tripped breaker's state
     * is kept for the breaker made again for its key.
     */
    boolean remove(String key) {
        CircuitBreaker removed = key == null ? null : breakers.get(key);
        if (removed == null) {
            return false;
        }
        // Retired while still in the map: a call or a new breaker for the key waits until its trip
        // is kept and it is gone; calls through a handle kept elsewhere then go to the next one.
        BreakerSnapshot missed = Retirement.removed(removed.core());
        BreakerSnapshot trip = RemoteChanges.tripToKeep(removed.core());
        if (trip != null) {
            removedTrips.merge(key, trip, BreakerTable::newer);
        }
        runtime.storeSync().removed(removed.core());
        if (drop(removed)) {
            capacity.forget(removed); // evictions take theirs off the hand as they look
        }
        if (missed != null) {
            applyRemote(missed); // a trip made elsewhere is not lost with the breaker that was leaving
        }
        return true;
    }

    /** A state change another registry wrote to the shared store. Runs on the store's thread. */
    void applyRemote(BreakerSnapshot snapshot) {
        try {
            String key = snapshot.key();
            CircuitBreaker existing = breakers.get(key);
            if (existing == null) {
                if (removedTrips.containsKey(key)) {
                    // A removed breaker's kept trip follows the store (a reset ends it); it stays removed.
                    removedTrips.computeIfPresent(key, (k, kept) -> snapshot.version() <= kept.version() ? kept
                            : snapshot.state().isTripped() ? snapshot : null);
                    return;
                }
                if (!snapshot.state().isTripped()) {
                    return; // nothing to take from a closed breaker this instance does not have
                }
            }
            CircuitBreaker breaker = existing != null ? existing : getOrCreate(key);
            runtime.storeSync().deliver(breaker.core(), snapshot);
            if (Retirement.retired(breaker.core())) {
                // It was leaving the registry: the change goes to the key's next breaker, or its kept trip.
                awaitRetiredGone(key);
                applyRemote(snapshot);
            }
        } catch (RuntimeException e) {
            BreakerLog.warn("Ignoring a change of '" + printable(snapshot.key()) + "' from the store: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Reads the stored state again and applies it. Only one load runs at a time; the rows are
     * applied while new breakers wait ({@link #unknownLock}), and the "unknown" mark is lifted only
     * after every row was applied, so no breaker created meanwhile starts closed before its row is
     * seen.
     */
    void loadAgain() {
        synchronized (loadLock) {
            if (!stateUnread) {
                return;
            }
            List<BreakerSnapshot> stored;
            try {
                stored = runtime.storeSync().store().loadAll();
            } catch (RuntimeException e) {
                runtime.storeSync().watchUnreadable(e);
                return;
            }
            Map<String, BreakerSnapshot> byKey = new HashMap<>();
            for (BreakerSnapshot s : stored) {
                byKey.put(s.key(), s);
            }
            synchronized (unknownLock) {
                for (String key : removedTrips.keySet()) {
                    BreakerSnapshot row = byKey.get(key);
                    removedTrips.computeIfPresent(key, (k, kept) -> row != null && row.version() >= kept.version()
                            ? (row.state().isTripped() ? row : null)
                            : kept.cause() == Cause.STATE_UNKNOWN ? null : kept);
                }
                for (BreakerSnapshot s : stored) {
                    try {
                        CircuitBreaker breaker = breakers.get(s.key());
                        if (breaker == null && s.state().isTripped() && !removedTrips.containsKey(s.key())) {
                            breaker = createNow(s.key(), false); // created unknown or closed; the row decides next
                        }
                        if (breaker != null) {
                            RemoteChanges.loaded(breaker.core(), s);
                        }
                    } catch (RuntimeException e) {
                        BreakerLog.warn("Ignoring stored state of '" + printable(s.key()) + "'", e);
                    }
                }
                for (CircuitBreaker b : breakers.values()) {
                    if (!byKey.containsKey(b.key())) {
                        RemoteChanges.loaded(b.core(), null);
                    }
                }
                stateUnknown = null;
                stateUnread = false;
            }
            runtime.storeSync().watchReadable(stored.size());
        }
    }

    RegistryEvents events() {
        return events;
    }

    List<BreakerCore> cores() {
        List<BreakerCore> out = new ArrayList<>(breakers.size());
        for (CircuitBreaker b : breakers.values()) {
            out.add(b.core());
        }
        return out;
    }

    long inFlightCalls() {
        long sum = 0;
        for (CircuitBreaker b : breakers.values()) {
            sum += b.core().inFlight();
        }
        return sum;
    }

    private static BreakerSnapshot newer(BreakerSnapshot a, BreakerSnapshot b) {
        return b.version() >= a.version() ? b : a;
    }

    private static String printable(String key) {
        return key.replaceAll("\\p{Cntrl}", "?");
    }
}
