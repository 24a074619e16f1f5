package dev.fusebox.notify;

import dev.fusebox.BreakerStatus;
import dev.fusebox.CircuitBreaker;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.State;
import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.BreakerListener;
import dev.fusebox.event.RegistryListener;
import dev.fusebox.Checks;
import dev.fusebox.spi.DaemonScheduler;
import dev.fusebox.spi.Scheduler;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tells people when a breaker trips, is reset or recovers, without Alertmanager: a message to a
 * Slack incoming webhook for every trip, reset and recovery, and a PagerDuty incident (Events
 * API v2) for a breaker that stays tripped longer than {@link Builder#pageAfter} (5 minutes by
 * default, like the {@code CircuitBreakerTripped} alert rule), resolved when it closes.
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

    private final Messages messages;
    private final Scheduler scheduler;
    private final boolean ownScheduler;
    private final long pageAfterNanos;
    private final Duration requestTimeout;
    private final String routingKey;
    private final String severity;
    private final Delivery slack;
    private final Delivery pagerDuty;
    private final PagerDutySync incidents;
    private final Delivery.NotifierCounters counters = new Delivery.NotifierCounters();
    private final Object idle = new Object();
    private final AtomicInteger outstanding = new AtomicInteger();
    /** Per key: the current trip, or a closed marker that keeps the last version seen. Guarded by itself. */
    private final Map<String, Episode> episodes = new HashMap<>();
    private final RegistryListener removals = new RegistryListener() {
        @Override
        public void onBreakerRemoved(CircuitBreaker breaker) {
            removed(breaker.key());
        }
    };
    private volatile CircuitBreakerRegistry registry;
    private volatile boolean closed;

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

    private AlertNotifier(Builder b) {
        ownScheduler = b.scheduler == null;
        scheduler = ownScheduler ? new DaemonScheduler("fusebox-notify-timer") : b.scheduler;
        messages = new Messages(b.source, b.runbook);
        pageAfterNanos = b.pageAfter.toNanos();
        requestTimeout = b.requestTimeout;
        routingKey = b.pagerDutyRoutingKey;
        severity = b.pagerDutySeverity;
        HttpClient http = b.httpClient != null ? b.httpClient
                : HttpClient.newBuilder().connectTimeout(b.requestTimeout).build();
        slack = b.slackWebhook == null ? null : new Delivery("slack", b.slackWebhook, http, scheduler, b.requestTimeout,
                b.maxAttempts, b.retryBackoff, b.queueCapacity, counters, idle, outstanding);
        pagerDuty = b.pagerDutyRoutingKey == null ? null : new Delivery("pagerduty", b.pagerDutyUrl, http, scheduler,
                b.requestTimeout, b.maxAttempts, b.retryBackoff, b.queueCapacity, counters, idle, outstanding);
        incidents = pagerDuty == null ? null : new PagerDutySync(pagerDuty);
    }

    /** A builder; at least one of Slack and PagerDuty must be configured. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Listens to {@code breakers}' state changes and reads their status for the messages. Breakers
     * that are already tripped (state restored from a store) are paged once they have been
     * tripped for {@link Builder#pageAfter}, counted from their trip. A notifier serves one registry.
     *
     * @return this notifier
     * @throws IllegalStateException if it is already bound
     */
    public AlertNotifier bindTo(CircuitBreakerRegistry breakers) {
        Objects.requireNonNull(breakers, "breakers");
        synchronized (episodes) {
            if (registry != null) {
                throw new IllegalStateException("this notifier is already bound to a registry");
            }
            registry = breakers;
        }
        breakers.addListener(this);
        breakers.addRegistryListener(removals);
        long now = breakers.clock().wallMillis();
        for (BreakerStatus s : breakers.statusAll()) {
            if (s.tripped() && s.trippedAt() != null) {
                synchronized (episodes) {
                    if (!episodes.containsKey(s.key())) { // an event got there first
                        Episode episode = new Episode(0, s.trippedAt().toEpochMilli());
                        episodes.put(s.key(), episode);
                        long waited = Math.max(0, now - episode.trippedAtMillis) * 1_000_000L;
                        schedulePage(s, episode, Math.max(0, pageAfterNanos - waited));
                    }
                }
            }
        }
        return this;
    }

    @Override
    public void onStateChange(BreakerEvent.StateChanged event) {
        CircuitBreakerRegistry breakers = registry;
        boolean opened = event.from() == State.CLOSED && event.to() != State.CLOSED;
        boolean closed = event.to() == State.CLOSED && event.from() != State.CLOSED;
        if (breakers == null || this.closed || !opened && !closed) {
            return; // OPEN <-> HALF_OPEN: the same trip goes on
        }
        synchronized (episodes) {
            Episode episode = episodes.get(event.key());
            if (episode != null && event.change().version() <= episode.version) {
                return; // a late, out-of-order event
            }
            BreakerStatus status = breakers.status(event.key()).orElse(null);
            if (status == null) {
                return; // removed meanwhile
            }
            if (opened) {
                opened(event, status, episode);
            } else {
                closed(event, status, episode);
            }
        }
    }

    /** Called with {@link #episodes} held. */
    private void opened(BreakerEvent.StateChanged event, BreakerStatus status, Episode previous) {
        if (previous != null && previous.pendingPage != null) {
            previous.pendingPage.cancel();
        }
        Episode episode = new Episode(event.change().version(),
                status.trippedAt() == null ? event.atMillis() : status.trippedAt().toEpochMilli());
        episodes.put(event.key(), episode);
        if (slack != null) {
            slack.post(messages.slackTripped(status));
        }
        schedulePage(status, episode, pageAfterNanos);
    }

    /** Called with {@link #episodes} held. */
    private void schedulePage(BreakerStatus status, Episode episode, long delayNanos) {
        if (incidents == null) {
            return;
        }
        byte[] trigger = messages.pagerDutyTrigger(routingKey, severity, status);
        if (delayNanos == 0) {
            incidents.trigger(status.key(), trigger);
            return;
        }
        episode.pendingPage = scheduler.schedule(() -> {
            synchronized (episodes) {
                if (episodes.get(status.key()) == episode && episode.pendingPage != null) {
                    episode.pendingPage = null;
                    incidents.trigger(status.key(), trigger);
                }
            }
        }, delayNanos);
    }

    /** Called with {@link #episodes} held. */
    private void closed(BreakerEvent.StateChanged event, BreakerStatus status, Episode episode) {
        boolean known = episode != null && episode.open();
        if (known && episode.pendingPage != null) {
            episode.pendingPage.cancel();
        }
        episodes.put(event.key(), new Episode(event.change().version(), -1));
        boolean reset = resetByOperator(event, status, known ? episode : null);
        if (slack != null) {
            slack.post(reset ? messages.slackReset(status) : messages.slackRecovered(status));
        }
        // An unknown trip may have been paged by an earlier process: resolving is harmless.
        if (incidents != null && (!known || incidents.incidentWanted(event.key()))) {
            incidents.resolve(event.key(), messages.pagerDutyResolve(routingKey, event.key()));
        }
    }

    private void removed(String key) {
        if (closed) {
            return;
        }
        synchronized (episodes) {
            Episode episode = episodes.remove(key);
            if (episode != null && episode.pendingPage != null) {
                episode.pendingPage.cancel();
            }
            if (incidents != null && incidents.incidentWanted(key)) {
                incidents.resolve(key, messages.pagerDutyResolve(routingKey, key));
            }
        }
    }

    /**
     * A breaker closes because an operator reset it (here or on another instance), or because
     * its trial calls succeeded; only a reset records itself. {@code episode} is the trip being
     * closed, or null when this notifier did not see it begin.
     */
    private static boolean resetByOperator(BreakerEvent.StateChanged event, BreakerStatus status, Episode episode) {
        if (status.lastResetAt() == null) {
            return false;
        }
        long resetAt = status.lastResetAt().toEpochMilli();
        if (episode != null) {
            return resetAt >= episode.trippedAtMillis;
        }
        return Math.abs(event.atMillis() - resetAt) < RECENT_RESET_MILLIS;
    }

    /** How close to a close event a reset must be to count as its cause, when the trip was not seen. */
    static final long RECENT_RESET_MILLIS = 5_000;

    /**
     * Waits until no notification is queued or being sent. Retries and pages that wait for
     * their time do not count.
     *
     * @return false if {@code timeout} passed first
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (outstanding.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
        }
        return true;
    }

    /** What it has sent, retried, given up on and dropped since it started. */
    public NotifierStats stats() {
        return counters.snapshot();
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
        synchronized (episodes) {
            for (Episode e : episodes.values()) {
                if (e.pendingPage != null) {
                    e.pendingPage.cancel();
                    e.pendingPage = null;
                }
            }
        }
        long deadline = System.nanoTime() + 2 * requestTimeout.toNanos();
        for (Delivery d : new Delivery[] {slack, pagerDuty}) {
            if (d != null) {
                d.shutdown();
            }
        }
        for (Delivery d : new Delivery[] {slack, pagerDuty}) {
            if (d != null) {
                d.awaitTermination(deadline);
            }
        }
        if (ownScheduler) {
            ((DaemonScheduler) scheduler).close();
        }
    }

    @Override
    public String toString() {
        return "AlertNotifier[slack=" + (slack != null) + ", pagerDuty=" + (pagerDuty != null)
                + ", pageAfter=" + Duration.ofNanos(pageAfterNanos) + "]";
    }

    /** Builds an {@link AlertNotifier}. Not thread-safe. */
    public static final class Builder {
        private URI slackWebhook;
        private String pagerDutyRoutingKey;
        private URI pagerDutyUrl;
        private String pagerDutySeverity = "critical";
        private Duration pageAfter = Duration.ofMinutes(5);
        private String source = defaultSource();
        private URI runbook;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int maxAttempts = 5;
        private Duration retryBackoff = Duration.ofSeconds(1);
        private int queueCapacity = 1000;
        private HttpClient httpClient;
        private Scheduler scheduler;

        private Builder() {
        }

        /** A Slack incoming webhook ({@code https://hooks.slack.com/services/...}). */
        public Builder slackWebhook(URI url) {
            slackWebhook = httpUrl("slackWebhook", url);
            return this;
        }

        /** The routing key of a PagerDuty service's Events API v2 integration. */
        public Builder pagerDutyRoutingKey(String routingKey) {
            Objects.requireNonNull(routingKey, "routingKey");
            if (routingKey.isBlank() || routingKey.length() > 64 || routingKey.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("a PagerDuty routing key is 1 to 64 characters without spaces");
            }
            pagerDutyRoutingKey = routingKey;
            if (pagerDutyUrl == null) {
                pagerDutyUrl = PAGERDUTY_EVENTS_V2;
            }
            return this;
        }

        /** Where PagerDuty events go; default {@link #PAGERDUTY_EVENTS_V2}. */
        public Builder pagerDutyUrl(URI url) {
            pagerDutyUrl = httpUrl("pagerDutyUrl", url);
            return this;
        }

        /** The incident severity: critical (default), error, warning or info. */
        public Builder pagerDutySeverity(String severity) {
            String s = Objects.requireNonNull(severity, "severity").toLowerCase(Locale.ROOT);
            if (!java.util.Set.of("critical", "error", "warning", "info").contains(s)) {
                throw new IllegalArgumentException("severity must be critical, error, warning or info, but was "
                        + severity);
            }
            pagerDutySeverity = s;
            return this;
        }

        /**
         * How long a breaker must stay tripped before PagerDuty is paged; default 5 minutes, as
         * the {@code CircuitBreakerTripped} alert rule. Zero pages at once.
         */
        public Builder pageAfter(Duration value) {
            pageAfter = Checks.range("pageAfter", value, Duration.ZERO, Duration.ofDays(1));
            return this;
        }

        /** The name of this service or host in messages and incidents; default the host name. */
        public Builder source(String value) {
            Objects.requireNonNull(value, "source");
            if (value.isBlank() || value.length() > 255) {
                throw new IllegalArgumentException("source must be 1 to 255 characters");
            }
            source = value;
            return this;
        }

        /** A link to the runbook, added to every message and incident. */
        public Builder runbook(URI url) {
            runbook = httpUrl("runbook", url);
            return this;
        }

        /** How long one request may take; default 10 s. */
        public Builder requestTimeout(Duration value) {
            requestTimeout = Checks.range("requestTimeout", value, Duration.ofMillis(100), Duration.ofMinutes(2));
            return this;
        }

        /**
         * Attempts per notification, 1 to 20 (default 5); retries wait {@code backoff}, then twice
         * as long each time (default 1 s).
         */
        public Builder retries(int maxAttempts, Duration backoff) {
            if (maxAttempts < 1 || maxAttempts > 20) {
                throw new IllegalArgumentException("maxAttempts must be in [1, 20], but was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            retryBackoff = Checks.range("backoff", backoff, Duration.ofMillis(1), Duration.ofMinutes(10));
            return this;
        }

        /** Notifications that may wait to be sent, 1 to 100,000 (default 1,000); more are dropped. */
        public Builder queueCapacity(int value) {
            if (value < 1 || value > 100_000) {
                throw new IllegalArgumentException("queueCapacity must be in [1, 100000], but was " + value);
            }
            queueCapacity = value;
            return this;
        }

        /** The HTTP client to send with (proxy, TLS settings); default a new one. */
        public Builder httpClient(HttpClient client) {
            httpClient = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * What waits out the page delay and the retry backoff; default a daemon thread of its own.
         * Tests pass a scheduler driven by a manual clock.
         */
        public Builder scheduler(Scheduler value) {
            scheduler = Objects.requireNonNull(value, "scheduler");
            return this;
        }

        /**
         * Builds the notifier; {@link AlertNotifier#bindTo} starts it.
         *
         * @throws IllegalStateException if neither Slack nor PagerDuty is configured
         */
        public AlertNotifier build() {
            if (slackWebhook == null && pagerDutyRoutingKey == null) {
                throw new IllegalStateException("configure a Slack webhook, a PagerDuty routing key, or both");
            }
            if (pagerDutyRoutingKey == null) {
                pagerDutyUrl = null;
            }
            return new AlertNotifier(this);
        }

        private static URI httpUrl(String name, URI url) {
            Objects.requireNonNull(url, name);
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http") || url.getHost() == null) {
                // The value itself is not repeated: webhook URLs carry their secret.
                throw new IllegalArgumentException(name + " must be an http(s) URL with a host");
            }
            return url;
        }

        private static String defaultSource() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                return "fusebox";
            }
        }
    }
}
