package dev.fusebox.notify;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Keeps each breaker's PagerDuty incident converging to what is wanted: open (a trigger) or
 * closed (a resolve). Only the latest wish per breaker is ever sent, so a trigger that is still
 * being retried when the breaker closes is replaced by the resolve instead of arriving after it.
 * Resolves are retried for as long as the notifier runs; a trigger gives up after the attempt
 * limit. Thread-safe.
 */
final class PagerDutySync {

    private record Wanted(byte[] body, boolean trigger) {
    }

    private final Delivery delivery;
    /** Per key, what PagerDuty should end up with; a resolve is forgotten once delivered. */
    private final Map<String, Wanted> wanted = new HashMap<>();
    /** Keys with a job in the queue: at most one, and it sends the latest wish. */
    private final Set<String> queued = new HashSet<>();

    PagerDutySync(Delivery delivery) {
        this.delivery = delivery;
    }

    synchronized void trigger(String key, byte[] body) {
        want(key, new Wanted(body, true));
    }

    synchronized void resolve(String key, byte[] body) {
        want(key, new Wanted(body, false));
    }

    /** Whether an incident for {@code key} has been asked for and not yet asked to close. */
    synchronized boolean incidentWanted(String key) {
        Wanted w = wanted.get(key);
        return w != null && w.trigger;
    }

    private void want(String key, Wanted w) {
        wanted.put(key, w);
        if (queued.add(key)) {
            delivery.post(new KeyJob(key));
        }
    }

    /** Sends whatever is wanted for one key when its turn comes. */
    private final class KeyJob implements Delivery.Job {
        private final String key;
        private volatile boolean sendingResolve;

        KeyJob(String key) {
            this.key = key;
        }

        @Override
        public byte[] body() {
            synchronized (PagerDutySync.this) {
                queued.remove(key);
                Wanted w = wanted.get(key);
                sendingResolve = w != null && !w.trigger;
                return w == null ? null : w.body;
            }
        }

        @Override
        public void delivered(byte[] body) {
            synchronized (PagerDutySync.this) {
                Wanted w = wanted.get(key);
                if (w != null && w.body == body && !w.trigger) {
                    wanted.remove(key);
                }
            }
        }

        @Override
        public boolean persistent() {
            return sendingResolve;
        }

        @Override
        public void dropped() {
            synchronized (PagerDutySync.this) {
                queued.remove(key);
            }
        }

        @Override
        public boolean retryStillWanted() {
            synchronized (PagerDutySync.this) {
                return queued.add(key); // false: a newer job is queued and will send the latest wish
            }
        }
    }
}
