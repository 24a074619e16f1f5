package dev.fusebox.notify;

import dev.fusebox.BreakerStatus;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.State;
import dev.fusebox.event.BreakerEvent;
import dev.fusebox.event.BreakerListener;
import dev.fusebox.internal.SystemScheduler;
import dev.fusebox.spi.Scheduler;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

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
 * <p>Nothing is sent on the thread that changed the state: notifications go to a bounded queue
 * and one background thread posts them, retrying failures (network errors, 429 and 5xx) with
 * exponential backoff. A full queue drops the notification and counts it. Thread-safe.
 */
public final class AlertNotifier implements BreakerListener, AutoCloseable {

    /** PagerDuty's Events API v2 endpoint. */
    public static final URI PAGERDUTY_EVENTS_V2 = URI.create("https://events.pagerduty.com/v2/enqueue");

    private final Targets targets;
    private final Messages messages;
    private final Delivery delivery;
    private final Scheduler scheduler;
    private final long pageAfterNanos;
    private final boolean ownScheduler;
    /** Per key: the last version seen and the current trip episode. Guarded by itself. */
    private final Map<String, Episode> episodes = new HashMap<>();
    private volatile CircuitBreakerRegistry registry;

    /** One trip, from the state change that opened the breaker to the one that closes it. */
    private static final class Episode {
        long version;
        Long trippedAtMillis;
        Scheduler.Cancellable pendingPage;
        boolean paged;
    }

    private AlertNotifier(Builder b) {
        ownScheduler = b.scheduler == null;
        scheduler = ownScheduler ? new SystemScheduler("fusebox-notify-timer") : b.scheduler;
        messages = new Messages(b.source, b.runbook);
        pageAfterNanos = b.pageAfter.toNanos();
        HttpClient http = b.httpClient != null ? b.httpClient
                : HttpClient.newBuilder().connectTimeout(b.requestTimeout).build();
        delivery = new Delivery(http, scheduler, b.requestTimeout, b.maxAttempts, b.retryBackoff, b.queueCapacity);
        targets = new Targets(b.slackWebhook, b.pagerDutyUrl, b.pagerDutyRoutingKey, b.pagerDutySeverity);
    }

    private record Targets(URI slack, URI pagerDuty, String routingKey, String severity) {
    }

    /** A builder; at least one of Slack and PagerDuty must be configured. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Listens to {@code breakers}' state changes and reads their status for the messages. A
     * notifier serves one registry.
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
        return this;
    }

    @Override
    public void onStateChange(BreakerEvent.StateChanged event) {
        CircuitBreakerRegistry breakers = registry;
        if (breakers == null) {
            return;
        }
        boolean opened = event.from() == State.CLOSED && event.to() != State.CLOSED;
        boolean closed = event.to() == State.CLOSED;
        if (!opened && !closed) {
            return; // OPEN <-> HALF_OPEN: the same trip goes on
        }
        BreakerStatus status = breakers.status(event.key()).orElse(null);
        if (status == null) {
            return; // removed meanwhile
        }
        synchronized (episodes) {
            Episode episode = episodes.get(event.key());
            if (episode != null && event.version() <= episode.version) {
                return; // a late, out-of-order event
            }
            if (opened) {
                opened(event, status, episode);
            } else {
                closed(event, status, episode);
            }
        }
    }

    private void opened(BreakerEvent.StateChanged event, BreakerStatus status, Episode previous) {
        if (previous != null && previous.pendingPage != null) {
            previous.pendingPage.cancel();
        }
        Episode episode = new Episode();
        episode.version = event.version();
        episode.trippedAtMillis = status.trippedAt() == null ? event.atMillis() : status.trippedAt().toEpochMilli();
        episodes.put(event.key(), episode);
        if (targets.slack != null) {
            delivery.post("slack", targets.slack, messages.slackTripped(status));
        }
        if (targets.pagerDuty != null) {
            byte[] trigger = messages.pagerDutyTrigger(targets.routingKey, targets.severity, status);
            if (pageAfterNanos == 0) {
                episode.paged = true;
                delivery.post("pagerduty", targets.pagerDuty, trigger);
            } else {
                episode.pendingPage = scheduler.schedule(() -> pageIfStillOpen(event.key(), episode, trigger),
                        pageAfterNanos);
            }
        }
    }

    private void pageIfStillOpen(String key, Episode episode, byte[] trigger) {
        synchronized (episodes) {
            if (episodes.get(key) != episode || episode.paged) {
                return; // closed, or tripped again, since
            }
            episode.paged = true;
            episode.pendingPage = null;
        }
        delivery.post("pagerduty", targets.pagerDuty, trigger);
    }

    private void closed(BreakerEvent.StateChanged event, BreakerStatus status, Episode episode) {
        Episode closedEpisode = new Episode();
        closedEpisode.version = event.version();
        episodes.put(event.key(), closedEpisode);
        boolean wasOpen = episode != null && episode.trippedAtMillis != null;
        if (wasOpen && episode.pendingPage != null) {
            episode.pendingPage.cancel();
        }
        boolean reset = resetByOperator(event, status, episode);
        if (targets.slack != null) {
            delivery.post("slack", targets.slack, reset ? messages.slackReset(status) : messages.slackRecovered(status));
        }
        if (wasOpen && episode.paged) {
            delivery.post("pagerduty", targets.pagerDuty, messages.pagerDutyResolve(targets.routingKey, status.key()));
        }
    }

    /**
     * A breaker closes because an operator reset it (here or on another instance), or because
     * its trial calls succeeded. Only a reset records itself after the trip; a breaker can close
     * straight from OPEN only by a reset.
     */
    private static boolean resetByOperator(BreakerEvent.StateChanged event, BreakerStatus status, Episode episode) {
        if (status.lastResetAt() == null) {
            return false;
        }
        long resetAt = status.lastResetAt().toEpochMilli();
        if (episode != null && episode.trippedAtMillis != null) {
            return resetAt >= episode.trippedAtMillis;
        }
        // The notifier did not see this trip begin (bound while it was open).
        return event.from() == State.OPEN || Math.abs(event.atMillis() - resetAt) < 5_000;
    }

    /**
     * Waits until no notification is queued or being sent. Retries and pages that wait for
     * their time do not count.
     *
     * @return false if {@code timeout} passed first
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return delivery.awaitIdle(timeout);
    }

    /** What it has sent, retried, given up on and dropped since it started. */
    public NotifierStats stats() {
        return delivery.stats();
    }

    /**
     * Stops listening and stops the sender: notifications still queued are sent first, for at
     * most the request timeout each; scheduled retries and pages are dropped.
     */
    @Override
    public void close() {
        CircuitBreakerRegistry breakers = registry;
        if (breakers != null) {
            breakers.removeListener(this);
        }
        delivery.close();
        if (ownScheduler) {
            ((SystemScheduler) scheduler).close();
        }
    }

    @Override
    public String toString() {
        return "AlertNotifier[slack=" + (targets.slack != null) + ", pagerDuty=" + (targets.pagerDuty != null)
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
            pageAfter = range("pageAfter", value, Duration.ZERO, Duration.ofDays(1));
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
            requestTimeout = range("requestTimeout", value, Duration.ofMillis(100), Duration.ofMinutes(2));
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
            retryBackoff = range("backoff", backoff, Duration.ofMillis(1), Duration.ofMinutes(10));
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
                throw new IllegalArgumentException(name + " must be an http(s) URL with a host, but was " + url);
            }
            return url;
        }

        private static Duration range(String name, Duration value, Duration min, Duration max) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], but was " + value);
            }
            return value;
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
