package dev.fusebox.notify;

import dev.fusebox.BreakerStatus;
import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.Cause;
import dev.fusebox.event.Change;
import dev.fusebox.spi.Scheduler;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Follows each breaker's trips and decides what is said and when: a Slack message when a trip
 * begins and when it ends, a PagerDuty incident once a trip has lasted the page delay, resolved
 * when it ends. A trip runs from the change that opens a closed breaker to the one that closes
 * it; moves between open and half-open happen inside it and are not news.
 *
 * <p>Thread-safe: every method holds this object's lock, so that checking an event's version
 * against the last one seen and acting on it are one step.
 */
final class Incidents {

    /** One trip, from the state change that opened the breaker to the one that closes it. */
    private static final class Episode {
        final long version;
        /** When the trip began, or -1 for the marker of a closed breaker. */
        final long trippedAtMillis;
        Scheduler.Cancellable pendingPage;

        Episode(long version, long trippedAtMillis) {
            this.version = version;
            this.trippedAtMillis = trippedAtMillis;
        }

        boolean open() {
            return trippedAtMillis >= 0;
        }
    }

    private final Messages messages;
    private final Outbox outbox;
    private final Scheduler scheduler;
    private final long pageAfterNanos;
    /** Per key: the current trip, or a closed marker that keeps the last version seen. */
    private final Map<String, Episode> episodes = new HashMap<>();

    /**
     * @param scheduler what waits out the page delay
     * @param pageAfter how long a trip must last before it is paged; zero pages at once
     */
    Incidents(Messages messages, Outbox outbox, Scheduler scheduler, Duration pageAfter) {
        this.messages = messages;
        this.outbox = outbox;
        this.scheduler = scheduler;
        this.pageAfterNanos = pageAfter.toNanos();
    }

    Duration pageAfter() {
        return Duration.ofNanos(pageAfterNanos);
    }

    /**
     * A breaker that was already tripped when the notifier was bound: no message (the trip is
     * not news), but a page once it has been tripped for the page delay, counted from its trip.
     */
    synchronized void alreadyTripped(BreakerStatus status, long nowMillis) {
        if (status.trippedAt() == null || episodes.containsKey(status.key())) {
            return; // an event got there first
        }
        Episode episode = new Episode(0, status.trippedAt().toEpochMilli());
        episodes.put(status.key(), episode);
        long waited = Math.max(0, nowMillis - episode.trippedAtMillis) * 1_000_000L;
        schedulePage(status, tripOf(status), episode, Math.max(0, pageAfterNanos - waited));
    }

    /** A closed breaker opened: a trip begins. */
    synchronized void opened(BreakerEvent.StateChanged event, BreakerStatus status) {
        Episode previous = episodes.get(event.key());
        if (stale(event, previous)) {
            return;
        }
        if (previous != null && previous.pendingPage != null) {
            previous.pendingPage.cancel();
        }
        Episode episode = new Episode(event.change().version(),
                status.trippedAt() == null ? event.atMillis() : status.trippedAt().toEpochMilli());
        episodes.put(event.key(), episode);
        outbox.post(messages.slackTripped(status, event.change()));
        schedulePage(status, event.change(), episode, pageAfterNanos);
    }

    /** A tripped breaker closed: the trip ends, for the reason its change gives. */
    synchronized void closed(BreakerEvent.StateChanged event, BreakerStatus status) {
        Episode episode = episodes.get(event.key());
        if (stale(event, episode)) {
            return;
        }
        boolean known = episode != null && episode.open();
        if (known && episode.pendingPage != null) {
            episode.pendingPage.cancel();
        }
        episodes.put(event.key(), new Episode(event.change().version(), -1));
        outbox.post(messages.slackClosed(status, event.change()));
        // An unknown trip may have been paged by an earlier process: resolving is harmless.
        if (outbox.pages() && (!known || outbox.incidentWanted(event.key()))) {
            outbox.resolve(event.key(), messages.pagerDutyResolve(event.key()));
        }
    }

    /** The breaker left the registry: forget it, and close its incident if one is open. */
    synchronized void removed(String key) {
        Episode episode = episodes.remove(key);
        if (episode != null && episode.pendingPage != null) {
            episode.pendingPage.cancel();
        }
        if (outbox.incidentWanted(key)) {
            outbox.resolve(key, messages.pagerDutyResolve(key));
        }
    }

    /** Cancels the pages still waiting for their time. */
    synchronized void cancelPendingPages() {
        for (Episode e : episodes.values()) {
            if (e.pendingPage != null) {
                e.pendingPage.cancel();
                e.pendingPage = null;
            }
        }
    }

    /** A late event, overtaken by one this tracker has already acted on. */
    private static boolean stale(BreakerEvent.StateChanged event, Episode last) {
        return last != null && event.change().version() <= last.version;
    }

    /**
     * The trip a tripped breaker's status shows, as a change, for a trip that began before this
     * notifier was bound. A registry's status always names the cause of a trip; the fallbacks
     * only keep a change's fields non-null. The version is not used: events are ordered, not this.
     */
    private static Change tripOf(BreakerStatus s) {
        return new Change(Objects.requireNonNullElse(s.tripCause(), Cause.FAILURES),
                Objects.requireNonNullElse(s.trippedBy(), Change.SYSTEM_USER),
                Objects.requireNonNullElse(s.tripReason(), ""), false, 0);
    }

    /** Builds the trigger now, from what is known at the trip, and sends it after {@code delayNanos}. */
    private void schedulePage(BreakerStatus status, Change trip, Episode episode, long delayNanos) {
        if (!outbox.pages()) {
            return;
        }
        byte[] trigger = messages.pagerDutyTrigger(status, trip);
        if (delayNanos == 0) {
            outbox.trigger(status.key(), trigger);
            return;
        }
        episode.pendingPage = scheduler.schedule(() -> {
            synchronized (this) {
                if (episodes.get(status.key()) == episode && episode.pendingPage != null) {
                    episode.pendingPage = null;
                    outbox.trigger(status.key(), trigger);
                }
            }
        }, delayNanos);
    }
}
