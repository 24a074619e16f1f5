package dev.fusebox.notify;

import dev.fusebox.Checks;
import dev.fusebox.spi.DaemonScheduler;
import dev.fusebox.spi.Scheduler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Builds an {@link AlertNotifier}; get one from {@link AlertNotifier#builder()}. At least one of
 * Slack and PagerDuty must be configured. Every setter checks its value at once and says what is
 * wrong; URLs are never repeated in a message, since webhook URLs carry their secret.
 * Not thread-safe.
 */
public final class AlertNotifierBuilder {

    /** How long a breaker must stay tripped before it is paged: 5 minutes, like the {@code CircuitBreakerTripped} alert rule. */
    public static final Duration DEFAULT_PAGE_AFTER = Duration.ofMinutes(5);
    /** The PagerDuty incident severity: critical. */
    public static final String DEFAULT_PAGERDUTY_SEVERITY = "critical";
    /** How long one request may take: 10 s. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Attempts per notification: 5. */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    /** The wait before the first retry: 1 s. */
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(1);
    /** Notifications that may wait per target: 1,000. */
    public static final int DEFAULT_QUEUE_CAPACITY = 1000;

    private static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");

    private URI slackWebhook;
    private String pagerDutyRoutingKey;
    private URI pagerDutyUrl = AlertNotifier.PAGERDUTY_EVENTS_V2;
    private String pagerDutySeverity = DEFAULT_PAGERDUTY_SEVERITY;
    private Duration pageAfter = DEFAULT_PAGE_AFTER;
    private String source;
    private URI runbook;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private HttpClient httpClient;
    private Scheduler scheduler;

    AlertNotifierBuilder() {
    }

    /**
     * A Slack incoming webhook ({@code https://hooks.slack.com/services/...}): every trip, reset
     * and recovery is posted to it.
     *
     * @throws IllegalArgumentException if it is not an http(s) URL with a host
     */
    public AlertNotifierBuilder slackWebhook(URI url) {
        slackWebhook = httpUrl("slackWebhook", url);
        return this;
    }

    /**
     * The routing key of a PagerDuty service's Events API v2 integration: breakers tripped
     * longer than {@link #pageAfter} are paged.
     *
     * @throws IllegalArgumentException unless it is 1 to 64 characters without spaces
     */
    public AlertNotifierBuilder pagerDutyRoutingKey(String routingKey) {
        Objects.requireNonNull(routingKey, "routingKey");
        if (routingKey.isBlank() || routingKey.length() > 64 || routingKey.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a PagerDuty routing key is 1 to 64 characters without spaces");
        }
        pagerDutyRoutingKey = routingKey;
        return this;
    }

    /**
     * Where PagerDuty events go; default {@link AlertNotifier#PAGERDUTY_EVENTS_V2}. Used only with
     * a routing key.
     *
     * @throws IllegalArgumentException if it is not an http(s) URL with a host
     */
    public AlertNotifierBuilder pagerDutyUrl(URI url) {
        pagerDutyUrl = httpUrl("pagerDutyUrl", url);
        return this;
    }

    /**
     * The incident severity: critical (default), error, warning or info, in any case.
     *
     * @throws IllegalArgumentException for any other value
     */
    public AlertNotifierBuilder pagerDutySeverity(String severity) {
        String s = Objects.requireNonNull(severity, "severity").toLowerCase(Locale.ROOT);
        if (!SEVERITIES.contains(s)) {
            throw new IllegalArgumentException("severity must be critical, error, warning or info, but was "
                    + severity);
        }
        pagerDutySeverity = s;
        return this;
    }

    /**
     * How long a breaker must stay tripped before PagerDuty is paged, 0 to 1 day; default
     * {@link #DEFAULT_PAGE_AFTER}. Zero pages at once.
     */
    public AlertNotifierBuilder pageAfter(Duration value) {
        pageAfter = Checks.range("pageAfter", value, Duration.ZERO, Duration.ofDays(1));
        return this;
    }

    /**
     * The name of this service or host in messages and incidents, 1 to 255 characters; default
     * the host name.
     */
    public AlertNotifierBuilder source(String value) {
        Objects.requireNonNull(value, "source");
        if (value.isBlank() || value.length() > 255) {
            throw new IllegalArgumentException("source must be 1 to 255 characters");
        }
        source = value;
        return this;
    }

    /** A link to the runbook, added to every message and incident; default none. */
    public AlertNotifierBuilder runbook(URI url) {
        runbook = httpUrl("runbook", url);
        return this;
    }

    /** How long one request may take, 100 ms to 2 minutes; default {@link #DEFAULT_REQUEST_TIMEOUT}. */
    public AlertNotifierBuilder requestTimeout(Duration value) {
        requestTimeout = Checks.range("requestTimeout", value, Duration.ofMillis(100), Duration.ofMinutes(2));
        return this;
    }

    /**
     * Attempts per notification, 1 to 20 (default {@link #DEFAULT_MAX_ATTEMPTS}); retries wait
     * {@code backoff}, 1 ms to 10 minutes (default {@link #DEFAULT_RETRY_BACKOFF}), then twice as
     * long each time, at most 15 minutes. A PagerDuty resolve is retried until it is delivered.
     */
    public AlertNotifierBuilder retries(int maxAttempts, Duration backoff) {
        this.maxAttempts = Checks.range("maxAttempts", maxAttempts, 1, 20);
        retryBackoff = Checks.range("backoff", backoff, Duration.ofMillis(1), Duration.ofMinutes(10));
        return this;
    }

    /**
     * Notifications that may wait to be sent per target, 1 to 100,000 (default
     * {@link #DEFAULT_QUEUE_CAPACITY}); more are dropped and counted.
     */
    public AlertNotifierBuilder queueCapacity(int value) {
        queueCapacity = Checks.range("queueCapacity", value, 1, 100_000);
        return this;
    }

    /** The HTTP client to send with (proxy, TLS settings); default a new one. */
    public AlertNotifierBuilder httpClient(HttpClient client) {
        httpClient = Objects.requireNonNull(client, "client");
        return this;
    }

    /**
     * What waits out the page delay and the retry backoff; default a daemon thread of its own,
     * stopped by {@link AlertNotifier#close()}. Tests pass a scheduler driven by a manual clock.
     */
    public AlertNotifierBuilder scheduler(Scheduler value) {
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
        HttpClient http = httpClient != null ? httpClient
                : HttpClient.newBuilder().connectTimeout(requestTimeout).build();
        DeliverySettings settings = new DeliverySettings(http, requestTimeout, maxAttempts, retryBackoff, queueCapacity);
        DaemonScheduler own = scheduler == null ? new DaemonScheduler("fusebox-notify-timer") : null;
        Scheduler timer = own != null ? own : scheduler;
        Outbox outbox = new Outbox(slackWebhook, pagerDutyRoutingKey == null ? null : pagerDutyUrl, settings, timer);
        Messages messages = new Messages(source != null ? source : hostName(), runbook, pagerDutyRoutingKey,
                pagerDutySeverity);
        return new AlertNotifier(new Incidents(messages, outbox, timer, pageAfter), outbox, own);
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

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "fusebox";
        }
    }
}
