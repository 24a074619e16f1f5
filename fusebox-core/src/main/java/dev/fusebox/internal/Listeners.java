package dev.fusebox.internal;

import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.BreakerListener;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry's listeners, as a copy-on-write array so that publishing takes no lock. A
 * listener that throws is logged once per listener class and event type and otherwise ignored.
 * Thread-safe.
 */
public final class Listeners {

    private static final CoreLog LOG = CoreLog.get("dev.fusebox");

    private volatile BreakerListener[] all = new BreakerListener[0];
    /** Events this thread holds back until it has released its locks; null when it holds none. */
    private final ThreadLocal<java.util.List<BreakerEvent>> held = new ThreadLocal<>();
    private volatile boolean wantsSuccess;
    private final Set<String> reportedFailures = ConcurrentHashMap.newKeySet();

    public synchronized void add(BreakerListener listener) {
        BreakerListener[] next = Arrays.copyOf(all, all.length + 1);
        next[all.length] = listener;
        all = next;
        wantsSuccess |= listener.wantsSuccessEvents();
    }

    public synchronized boolean remove(BreakerListener listener) {
        BreakerListener[] current = all;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == listener) {
                BreakerListener[] next = new BreakerListener[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                all = next;
                wantsSuccess = Arrays.stream(next).anyMatch(BreakerListener::wantsSuccessEvents);
                return true;
            }
        }
        return false;
    }

    /** Whether anyone listens at all: events are only built when this is true. */
    public boolean any() {
        return all.length != 0;
    }

    /** Whether any listener wants success events. */
    public boolean wantsSuccess() {
        return wantsSuccess;
    }

    /** Held events, delivered when closed. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Holds back the events this thread publishes until the returned handle is closed, for code
     * that holds a lock while it changes a breaker: a listener may call back into the registry
     * (trip another breaker, flush), which must never happen under one of its locks. Nested holds
     * deliver when the outermost closes.
     */
    public Held hold() {
        if (held.get() != null) {
            return () -> { };
        }
        java.util.List<BreakerEvent> events = new java.util.ArrayList<>();
        held.set(events);
        return () -> {
            held.remove();
            for (BreakerEvent e : events) {
                deliverToAll(e);
            }
        };
    }

    public void publish(BreakerEvent event) {
        java.util.List<BreakerEvent> events = held.get();
        if (events != null) {
            events.add(event);
            return;
        }
        deliverToAll(event);
    }

    private void deliverToAll(BreakerEvent event) {
        for (BreakerListener listener : all) {
            try {
                deliver(listener, event);
            } catch (Exception e) {
                String id = listener.getClass().getName() + "/" + event.getClass().getSimpleName();
                if (reportedFailures.add(id)) {
                    LOG.log(System.Logger.Level.WARNING, "[CIRCUIT_BREAKER] Listener " + id
                            + " threw; its failures are ignored and this is logged once", e);
                }
            }
        }
    }

    private static void deliver(BreakerListener l, BreakerEvent event) {
        if (event instanceof BreakerEvent.CallSucceeded e) {
            if (l.wantsSuccessEvents()) {
                l.onSuccess(e);
            }
        } else if (event instanceof BreakerEvent.CallFailed e) {
            l.onFailure(e);
        } else if (event instanceof BreakerEvent.CallTimedOut e) {
            l.onTimeout(e);
        } else if (event instanceof BreakerEvent.CallRejected e) {
            l.onRejected(e);
        } else if (event instanceof BreakerEvent.CallShed e) {
            l.onShed(e);
        } else if (event instanceof BreakerEvent.Tripped e) {
            l.onTrip(e);
        } else if (event instanceof BreakerEvent.Reset e) {
            l.onReset(e);
        } else if (event instanceof BreakerEvent.ResetDenied e) {
            l.onResetDenied(e);
        } else if (event instanceof BreakerEvent.StateChanged e) {
            l.onStateChange(e);
        }
    }
}
