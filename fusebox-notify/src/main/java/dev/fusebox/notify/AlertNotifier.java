package dev.fusebox.notify;

import dev.fusebox.BreakerStatus;
import dev.fusebox.CircuitBreaker;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.BreakerListener;
import dev.fusebox.event.Cause;
import dev.fusebox.event.Change;
import dev.fusebox.event.RegistryListener;
import dev.fusebox.spi.DaemonScheduler;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Tells people when a breaker trips, is reset or recovers, without Alertmanager: a message to a
 * Slack incoming webhook for every trip, reset and recovery, and a PagerDuty incident (Events
 * API v2) for a breaker that stays tripped longer than {@link AlertNotifierBuilder#pageAfter} (5
 * minutes by default, like the {@code CircuitBreakerTripped} alert rule), resolved when it closes.
 *
 * <pre>{@code
 * AlertNotifier notifier = AlertNotifier.builder()
 *         .slackWebhook(URI.create(System.getenv("SLACK_WEBHOOK_URL")))
 *         .pagerDutyRoutingKey(System.getenv("PAGERDUTY_ROUTING_KEY"))
 *         .build()
 *         .bindTo(breakers);
 * }</pre>
 *
 * <p>It reports every state change its registry sees, including those other instances make
 * through a shared store. In a fleet, bind it in one place (for example {@code fusebox serve
 * --slack-webhook ...}); PagerDuty merges repeated triggers of one breaker by its dedup key, Slack
 * does not.
 *
 * <p>What a message says comes from the change's {@link Cause}, user and reason, never from
 * timestamps. A trip names the operator and their reason, or, when the breaker tripped on its
 * own, the failures it counted here, or the reason another instance gave. A close is RESET by the
 * operator who made it, here or on another instance (forced inside the cooldown or not),
 * RECOVERED when trial calls succeeded, or STATE READ when a breaker whose state was unknown took
 * the stored state once it could be read.
 *
 * <p>A breaker whose state is unknown ({@link Cause#STATE_UNKNOWN}: the store could not be read,
 * so it refuses every call rather than call an upstream an operator may have tripped) is an
 * outage like a trip, and is told like one: STATE UNKNOWN in Slack at once, a PagerDuty incident
 * once it has lasted the page delay, resolved when the state is read. While a store stays
 * unreadable, every breaker the service uses is in that state: expect one message per breaker.
 *
 * <p>Nothing is sent on the thread that changed the state: each target has a bounded queue and a
 * background thread of its own, so a slow Slack never delays a page. Failures (network errors,
 * 429 and 5xx) are retried with exponential backoff; a resolve until it is delivered. Only the
 * latest wish for a breaker's incident is sent, so a trigger still being retried when the
 * breaker closes is replaced by the resolve. A full queue drops the notification and counts it.
 * Thread-safe.
 */
public final class AlertNotifier implements BreakerListener, AutoCloseable {

    /** PagerDuty's Events API v2 endpoint. */
    public static final URI PAGERDUTY_EVENTS_V2 = URI.create("https://events.pagerduty.com/v2/enqueue");

    private final Incidents incidents;
    private final Outbox outbox;
    private final DaemonScheduler ownScheduler;
    private final RegistryListener removals = new RegistryListener() {
        @Override
        public void onBreakerRemoved(CircuitBreaker breaker) {
            if (!closed) {
                incidents.removed(breaker.key());
            }
        }
    };
    private volatile CircuitBreakerRegistry registry;
    private volatile boolean closed;

    /** @param ownScheduler the scheduler this notifier started and stops on close, or null */
    AlertNotifier(Incidents incidents, Outbox outbox, DaemonScheduler ownScheduler) {
        this.incidents = incidents;
        this.outbox = outbox;
        this.ownScheduler = ownScheduler;
    }

    /** A builder; at least one of Slack and PagerDuty must be configured. */
    public static AlertNotifierBuilder builder() {
        return new AlertNotifierBuilder();
    }

    /**
     * Listens to {@code breakers}' state changes and reads their status for the messages. Breakers
     * that are already tripped (state restored from a store) are paged once they have been
     * tripped for {@link AlertNotifierBuilder#pageAfter}, counted from their trip. A notifier
     * serves one registry.
     *
     * @return this notifier
     * @throws IllegalStateException if it is already bound
     */
    public AlertNotifier bindTo(CircuitBreakerRegistry breakers) {
        Objects.requireNonNull(breakers, "breakers");
        synchronized (this) {
            if (registry != null) {
                throw new IllegalStateException("this notifier is already bound to a registry");
            }
            registry = breakers;
        }
        breakers.addListener(this);
        breakers.addRegistryListener(removals);
        long now = breakers.clock().wallMillis();
        for (BreakerStatus s : breakers.statusAll()) {
            if (s.tripped()) {
                incidents.alreadyTripped(s, now);
            }
        }
        return this;
    }

    /** Hands the start and the end of each trip to the incident tracker; called by the registry. */
    @Override
    public void onStateChange(BreakerEvent.StateChanged event) {
        CircuitBreakerRegistry breakers = registry;
        boolean opened = !event.from().isTripped() && event.to().isTripped();
        boolean closes = event.from().isTripped() && !event.to().isTripped();
        if (breakers == null || closed || !opened && !closes) {
            return; // OPEN <-> HALF_OPEN: the same trip goes on
        }
        BreakerStatus status = breakers.status(event.key()).orElseGet(() -> bornUnknown(event));
        if (status == null) {
            return; // removed meanwhile
        }
        if (opened) {
            incidents.opened(event, status);
        } else {
            incidents.closed(event, status);
        }
    }

    /**
     * A breaker created while the store cannot be read starts in the unknown state, and says so
     * before the registry lists it; its status is then what the event tells. Null for any other
     * breaker the registry does not list: it was removed.
     */
    private static BreakerStatus bornUnknown(BreakerEvent.StateChanged event) {
        Change c = event.change();
        if (c.cause() != Cause.STATE_UNKNOWN) {
            return null;
        }
        return BreakerStatus.builder(event.key(), event.to())
                .trip(Instant.ofEpochMilli(event.atMillis()), c.user(), c.reason(), c.cause()).build();
    }

    /**
     * Waits until no notification is queued or being sent. Retries and pages that wait for
     * their time do not count.
     *
     * @return false if {@code timeout} passed first
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return outbox.awaitIdle(timeout);
    }

    /** What it has sent, retried, given up on and dropped since it started. */
    public NotifierStats stats() {
        return outbox.stats();
    }

    /**
     * Stops listening, cancels the pages still waiting for their time, and sends what is queued
     * for at most twice the request timeout in all; what is left then is dropped and counted.
     */
    @Override
    public void close() {
        closed = true;
        CircuitBreakerRegistry breakers = registry;
        if (breakers != null) {
            breakers.removeListener(this);
        }
        incidents.cancelPendingPages();
        outbox.close();
        if (ownScheduler != null) {
            ownScheduler.close();
        }
    }

    @Override
    public String toString() {
        return "AlertNotifier[slack=" + outbox.posts() + ", pagerDuty=" + outbox.pages()
                + ", pageAfter=" + incidents.pageAfter() + "]";
    }
}
