package dev.fusebox.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fusebox.CircuitBreaker;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.Presets;
import dev.fusebox.testing.Calls;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Notifications over real HTTP on loopback, with the page delay and retries on a manual clock. */
class AlertNotifierTest {

    private static final String ROUTING_KEY = FakeReceiver.ROUTING_KEY;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ManualClock clock = new ManualClock();
    private final FakeReceiver receiver = startReceiver();
    private CircuitBreakerRegistry registry;
    private AlertNotifier notifier;

    private static FakeReceiver startReceiver() {
        try {
            return new FakeReceiver();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() {
        receiver.slack.open();
        receiver.pagerDuty.open();
        if (notifier != null) {
            notifier.close();
        }
        if (registry != null) {
            registry.close();
        }
        receiver.close();
    }

    private AlertNotifierBuilder notifier() {
        return receiver.notifier(clock);
    }

    private CircuitBreaker start(AlertNotifierBuilder builder, CircuitBreakerRegistry breakers) {
        registry = breakers;
        notifier = builder.build().bindTo(registry);
        return registry.breaker("draftkings");
    }

    private void idle() throws InterruptedException {
        assertThat(notifier.awaitIdle(WAIT)).as("notifications sent").isTrue();
    }

    @Test
    void postsATripToSlackAtOncePagesAfterFiveMinutesAndResolvesOnReset() throws Exception {
        CircuitBreaker breaker = start(notifier(), Registries.manual(clock, new TestLoad()).build());

        Calls.failTimes(breaker, 10);
        idle();
        JsonNode trip = single(receiver.slack.drain());
        assertThat(trip.get("text").asText())
                .startsWith(":rotating_light: *Circuit breaker TRIPPED: draftkings* after 10 failures. Last error: Error 9.")
                .contains("Manual intervention required: `fusebox reset draftkings --reason \"...\"`")
                .endsWith("_(payments-7f9c)_");
        assertThat(receiver.pagerDuty.drain()).as("not paged yet").isEmpty();

        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        idle();
        assertThat(receiver.pagerDuty.drain()).as("4 min 59 s: still not paged").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        idle();
        JsonNode page = single(receiver.pagerDuty.drain());
        assertThat(page.get("routing_key").asText()).isEqualTo(ROUTING_KEY);
        assertThat(page.get("event_action").asText()).isEqualTo("trigger");
        assertThat(page.get("dedup_key").asText()).isEqualTo("fusebox/draftkings");
        assertThat(page.at("/payload/severity").asText()).isEqualTo("critical");
        assertThat(page.at("/payload/source").asText()).isEqualTo("payments-7f9c");
        assertThat(page.at("/payload/component").asText()).isEqualTo("draftkings");
        assertThat(page.at("/payload/summary").asText())
                .isEqualTo("Circuit breaker tripped: draftkings after 10 failures; last error: Error 9");
        assertThat(page.at("/payload/custom_details/tripCount").asLong()).isEqualTo(1);
        assertThat(page.at("/payload/custom_details/failures").asDouble()).isEqualTo(10.0);

        registry.reset("draftkings", "upstream fixed", "alice", false);
        idle();
        assertThat(single(receiver.slack.drain()).get("text").asText())
                .startsWith(":white_check_mark: *Circuit breaker RESET: draftkings* by alice. Reason: upstream fixed.");
        JsonNode resolve = single(receiver.pagerDuty.drain());
        assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
        assertThat(resolve.get("dedup_key").asText()).isEqualTo("fusebox/draftkings");
        assertThat(notifier.stats()).isEqualTo(new NotifierStats(4, 0, 0, 0));
    }

    @Test
    void aBreakerClosedBeforeThePageDelayPagesNobody() throws Exception {
        start(notifier(), Registries.manual(clock, new TestLoad()).build());

        registry.trip("draftkings", "upstream maintenance", "bob");
        clock.advance(Duration.ofMinutes(2));
        registry.reset("draftkings", "maintenance over", "bob", false);
        clock.advance(Duration.ofMinutes(10));
        idle();

        List<JsonNode> slack = receiver.slack.drain();
        assertThat(slack).extracting(m -> m.get("text").asText()).satisfiesExactly(
                t -> assertThat(t).startsWith(":rotating_light: *Circuit breaker TRIPPED: draftkings* by bob. "
                        + "Reason: upstream maintenance. Manual intervention required"),
                t -> assertThat(t).startsWith(":white_check_mark: *Circuit breaker RESET: draftkings* by bob."));
        assertThat(receiver.pagerDuty.drain()).as("closed within 5 minutes: no page, no resolve").isEmpty();
    }

    @Test
    void reportsAnAutomaticRecoveryAndStaysQuietInHalfOpen() throws Exception {
        CircuitBreaker breaker = start(notifier().pageAfter(Duration.ZERO),
                Registries.manual(clock, new TestLoad()).defaultConfig(Presets.READ).build());

        Calls.failTimes(breaker, 3);
        idle();
        assertThat(single(receiver.slack.drain()).get("text").asText()).contains("after 3 failures")
                .contains("Trial calls from").doesNotContain("Manual intervention");
        assertThat(single(receiver.pagerDuty.drain()).get("event_action").asText()).as("paged at once").isEqualTo("trigger");

        clock.advance(Duration.ofSeconds(3));
        Calls.succeed(breaker); // half-open: a trial call
        idle();
        assertThat(receiver.slack.drain()).as("half-open is not news").isEmpty();
        Calls.succeed(breaker); // the second success closes it
        idle();

        assertThat(single(receiver.slack.drain()).get("text").asText())
                .startsWith(":white_check_mark: *Circuit breaker RECOVERED: draftkings*: trial calls succeeded.");
        assertThat(single(receiver.pagerDuty.drain()).get("event_action").asText()).isEqualTo("resolve");
    }

    @Test
    void retriesServerErrorsWithBackoffAndGivesUpOnARefusal() throws Exception {
        receiver.slack.answer(500, 503);
        receiver.pagerDuty.answer(400);
        start(notifier().pageAfter(Duration.ZERO).retries(5, Duration.ofSeconds(1)),
                Registries.manual(clock, new TestLoad()).build());

        registry.trip("draftkings", "test", "carol");
        idle();
        assertThat(receiver.slack.drain()).hasSize(1);
        assertThat(receiver.pagerDuty.drain()).hasSize(1);
        assertThat(notifier.stats()).isEqualTo(new NotifierStats(0, 1, 1, 0));

        clock.advance(Duration.ofMillis(999));
        idle();
        assertThat(receiver.slack.drain()).as("backoff 1 s").isEmpty();
        clock.advance(Duration.ofMillis(1));
        idle();
        assertThat(receiver.slack.drain()).as("second attempt, answered 503").hasSize(1);
        clock.advance(Duration.ofSeconds(2));
        idle();
        assertThat(receiver.slack.drain()).as("third attempt, after 2 s more").hasSize(1);
        clock.advance(Duration.ofMinutes(5));
        idle();

        assertThat(receiver.pagerDuty.drain()).as("a 400 is not retried").isEmpty();
        assertThat(notifier.stats()).isEqualTo(new NotifierStats(1, 2, 1, 0));
    }

    @Test
    void neverMakesTheTrippingThreadWaitAndDropsWhatDoesNotFitTheQueue() throws Exception {
        receiver.slack.hold();
        start(notifier().queueCapacity(1), Registries.manual(clock, new TestLoad()).build());

        assertTimeoutPreemptively(WAIT, () -> {
            registry.trip("a", "one", "dave"); // sent; the receiver holds the answer
            assertThat(receiver.slack.firstArrived.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            registry.trip("b", "two", "dave"); // queued
            registry.trip("c", "three", "dave"); // the queue is full: dropped
        });
        assertThat(notifier.stats().dropped()).isEqualTo(1);

        receiver.slack.open();
        idle();
        assertThat(receiver.slack.drain()).extracting(m -> m.get("text").asText())
                .satisfiesExactly(t -> assertThat(t).contains("TRIPPED: a*"), t -> assertThat(t).contains("TRIPPED: b*"));
        assertThat(notifier.stats()).isEqualTo(new NotifierStats(2, 0, 0, 1));
    }

    @Test
    void escapesSlackControlCharactersInKeysAndReasons() throws Exception {
        start(notifier(), Registries.manual(clock, new TestLoad()).build());

        registry.trip("x<y>", "<!channel> & <https://evil.example|click>", "eve");
        idle();

        assertThat(single(receiver.slack.drain()).get("text").asText())
                .contains("TRIPPED: x&lt;y&gt;*")
                .contains("Reason: &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;.")
                .doesNotContain("<!channel>");
    }

    @Test
    void aTriggerStillBeingRetriedWhenTheBreakerClosesIsReplacedByTheResolve() throws Exception {
        receiver.pagerDuty.answer(503);
        start(notifier().pageAfter(Duration.ZERO), Registries.manual(clock, new TestLoad()).build());

        registry.trip("draftkings", "test", "frank");
        idle();
        assertThat(single(receiver.pagerDuty.drain()).get("event_action").asText()).isEqualTo("trigger"); // 503
        registry.reset("draftkings", "false alarm", "frank", true);
        idle();
        assertThat(single(receiver.pagerDuty.drain()).get("event_action").asText()).isEqualTo("resolve");

        clock.advance(Duration.ofMinutes(30)); // the trigger's retry comes due: nothing is wanted any more
        idle();
        assertThat(receiver.pagerDuty.drain()).as("no trigger after the resolve").isEmpty();
        assertThat(notifier.stats()).isEqualTo(new NotifierStats(3, 1, 0, 0)); // 2 Slack, 1 resolve
    }

    @Test
    void pagesBreakersThatWereAlreadyTrippedWhenItWasBoundCountingFromTheirTrip() throws Exception {
        registry = Registries.manual(clock, new TestLoad()).build();
        registry.trip("draftkings", "before the notifier started", "grace");
        clock.advance(Duration.ofMinutes(3));
        notifier = notifier().build().bindTo(registry);

        clock.advance(Duration.ofMinutes(2).minusSeconds(1));
        idle();
        assertThat(receiver.pagerDuty.drain()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        idle();
        assertThat(single(receiver.pagerDuty.drain()).at("/payload/summary").asText())
                .isEqualTo("Circuit breaker tripped: draftkings by grace: before the notifier started");
        assertThat(receiver.slack.drain()).as("an old trip is not news").isEmpty();

        registry.reset("draftkings", "done", "grace", false);
        idle();
        assertThat(single(receiver.pagerDuty.drain()).get("event_action").asText()).isEqualTo("resolve");
        assertThat(single(receiver.slack.drain()).get("text").asText()).contains("RESET: draftkings* by grace");
    }

    @Test
    void aSlowSlackDoesNotDelayPagerDuty() throws Exception {
        receiver.slack.hold();
        // Slack's request may wait a minute; PagerDuty must not wait behind it.
        start(notifier().pageAfter(Duration.ZERO).requestTimeout(Duration.ofMinutes(1)),
                Registries.manual(clock, new TestLoad()).build());

        registry.trip("draftkings", "test", "heidi");

        assertThat(receiver.slack.firstArrived.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // Slack holds its answer; PagerDuty's sender does not wait for it.
        assertThat(receiver.pagerDuty.firstArrived.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        receiver.slack.open();
        idle();
        assertThat(notifier.stats().sent()).isEqualTo(2);
    }

    @Test
    void aRemovedAndRecreatedBreakerIsReportedAgain() throws Exception {
        start(notifier(), Registries.manual(clock, new TestLoad()).build());
        registry.trip("draftkings", "first", "ivan");
        clock.advance(Duration.ofMinutes(2));
        registry.reset("draftkings", "ok", "ivan", false);
        assertThat(registry.remove("draftkings")).isTrue();

        registry.trip("draftkings", "second", "ivan"); // a new breaker: its versions start again
        idle();

        assertThat(receiver.slack.drain()).extracting(m -> m.get("text").asText()).satisfiesExactly(
                t -> assertThat(t).contains("Reason: first."),
                t -> assertThat(t).contains("RESET"),
                t -> assertThat(t).contains("Reason: second."));
    }

    @Test
    void slackMessagesCarryTheBreakersNumbersAsFields() throws Exception {
        CircuitBreaker breaker = start(notifier().runbook(URI.create("https://wiki.example/runbooks/circuit-breaker")),
                Registries.manual(clock, new TestLoad()).build());
        Calls.failTimes(breaker, 10);
        idle();

        JsonNode message = single(receiver.slack.drain());
        assertThat(message.at("/blocks/0/text/text").asText()).startsWith(":rotating_light: *Circuit breaker TRIPPED");
        assertThat(message.at("/blocks/1/fields")).extracting(f -> f.get("text").asText()).contains(
                "*Breaker:* draftkings", "*State:* OPEN", "*Failures:* 10 of 10", "*Trips:* 1",
                "*Source:* payments-7f9c");
        assertThat(message.at("/blocks/2/elements/0/text").asText())
                .isEqualTo("<https://wiki.example/runbooks/circuit-breaker|Runbook>");
    }

    @Test
    void refusesAnIncompleteOrInvalidConfiguration() {
        assertThatThrownBy(() -> AlertNotifier.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Slack webhook");
        assertThatThrownBy(() -> AlertNotifier.builder().slackWebhook(URI.create("file:///etc/passwd")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http(s) URL");
        assertThatThrownBy(() -> AlertNotifier.builder().slackWebhook(URI.create("hooks.slack.com/services/T/B/s3cr3t")))
                .message().doesNotContain("s3cr3t");
        assertThatThrownBy(() -> AlertNotifier.builder().pagerDutyRoutingKey(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AlertNotifier.builder().pagerDutySeverity("disaster"))
                .hasMessageContaining("critical, error, warning or info");
        assertThatThrownBy(() -> AlertNotifier.builder().pageAfter(Duration.ofSeconds(-1)))
                .hasMessageContaining("pageAfter");
        assertThatThrownBy(() -> AlertNotifier.builder().retries(0, Duration.ofSeconds(1)))
                .hasMessageContaining("maxAttempts");

        try (CircuitBreakerRegistry one = Registries.manual(clock, new TestLoad()).build();
             AlertNotifier bound = notifier().build().bindTo(one)) {
            assertThatThrownBy(() -> bound.bindTo(one)).isInstanceOf(IllegalStateException.class);
        }
    }

    private static JsonNode single(List<JsonNode> messages) {
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }
}
