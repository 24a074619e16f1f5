package dev.fusebox.notify;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * How every target of one notifier is sent to: the HTTP client, how long one request may take,
 * how often a failed notification is tried and how long the first retry waits (each later one
 * waits twice as long), and how many notifications may wait per target. Checked by
 * {@link AlertNotifierBuilder}; immutable.
 *
 * @param http the client every request goes through
 * @param requestTimeout how long one request may take; closing waits at most twice as long
 * @param maxAttempts attempts per notification (a PagerDuty resolve keeps trying past them)
 * @param retryBackoff the wait before the first retry
 * @param queueCapacity notifications that may wait per target; more are dropped and counted
 */
record DeliverySettings(HttpClient http, Duration requestTimeout, int maxAttempts, Duration retryBackoff,
                        int queueCapacity) {
}
