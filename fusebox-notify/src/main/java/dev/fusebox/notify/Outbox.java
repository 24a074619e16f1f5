package dev.fusebox.notify;

import dev.fusebox.spi.Scheduler;
import java.net.URI;
import java.time.Duration;

/**
 * Where one notifier's notifications go: a Slack webhook, PagerDuty, or both, each through a
 * {@link Delivery} of its own, so that a slow Slack never delays a page. PagerDuty incidents
 * converge per breaker through {@link PagerDutySync}. Says nothing about what is sent or when;
 * that is {@link Incidents}' part. Thread-safe.
 */
final class Outbox {

    private final Delivery slack;
    private final Delivery pagerDuty;
    private final PagerDutySync incidents;
    private final DeliveryTally tally;
    private final Duration requestTimeout;

    /**
     * @param slackWebhook the webhook, or null for no Slack
     * @param pagerDutyUrl the Events API v2 endpoint, or null for no PagerDuty
     * @param scheduler what waits out the retry backoff
     */
    Outbox(URI slackWebhook, URI pagerDutyUrl, DeliverySettings settings, Scheduler scheduler) {
        tally = new DeliveryTally();
        requestTimeout = settings.requestTimeout();
        slack = slackWebhook == null ? null : new Delivery("slack", slackWebhook, settings, scheduler, tally);
        pagerDuty = pagerDutyUrl == null ? null : new Delivery("pagerduty", pagerDutyUrl, settings, scheduler, tally);
        incidents = pagerDuty == null ? null : new PagerDutySync(pagerDuty);
    }

    /** Whether Slack is configured. */
    boolean posts() {
        return slack != null;
    }

    /** Whether PagerDuty is configured. */
    boolean pages() {
        return incidents != null;
    }

    /** Queues a Slack message; does nothing without Slack. */
    void post(byte[] message) {
        if (slack != null) {
            slack.post(message);
        }
    }

    /** Wants {@code key}'s incident open; PagerDuty must be configured. */
    void trigger(String key, byte[] body) {
        incidents.trigger(key, body);
    }

    /** Wants {@code key}'s incident closed; PagerDuty must be configured. */
    void resolve(String key, byte[] body) {
        incidents.resolve(key, body);
    }

    /** Whether an incident for {@code key} has been asked for and not yet asked to close. */
    boolean incidentWanted(String key) {
        return incidents != null && incidents.incidentWanted(key);
    }

    /** See {@link DeliveryTally#awaitIdle}. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        return tally.awaitIdle(timeout);
    }

    NotifierStats stats() {
        return tally.snapshot();
    }

    /**
     * Stops taking notifications and sends what is queued for at most twice the request timeout
     * in all, both targets at once; what is left then is dropped and counted.
     */
    void close() {
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
    }
}
