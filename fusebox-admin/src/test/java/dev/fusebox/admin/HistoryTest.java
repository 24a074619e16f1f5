package dev.fusebox.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.BreakerConfig;
import dev.fusebox.CircuitBreaker;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.testing.Calls;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The 15 minutes of samples behind the console's charts: bounded, differences per second, dropped with the breaker. */
class HistoryTest {

    private final CircuitBreakerRegistry breakers = Fixtures.registry();
    private final History history = new History();
    private long now = 1_000_000;

    @AfterEach
    void close() {
        breakers.close();
    }

    private List<History.Second> tick() {
        now += 1000;
        return history.sample(breakers, now);
    }

    @SuppressWarnings("unchecked")
    private static int[] perSecond(Map<String, Object> columns, String counter) {
        return ((Map<String, int[]>) columns.get("perSecond")).get(counter);
    }

    @Test
    void keepsTheLastNineHundredSecondsOfABusyBreakerAndNoMore() throws Exception {
        CircuitBreaker breaker = breakers.breaker("fanduel");
        history.add("fanduel", null);
        for (int second = 0; second < 2000; second++) {
            for (int call = 0; call < second % 7; call++) {
                Calls.succeed(breaker);
            }
            tick();
        }

        Map<String, Object> columns = history.columns("fanduel");
        long[] at = (long[]) columns.get("at");
        int[] calls = perSecond(columns, "calls");

        assertThat(at).hasSize(900);
        assertThat(at[0]).as("the oldest kept: second 1100 of 2000").isEqualTo(1_000_000 + 1101 * 1000L);
        assertThat(at[899]).isEqualTo(now);
        assertThat(calls).hasSize(900);
        assertThat(calls[0]).isEqualTo(1100 % 7);
        assertThat(calls[899]).isEqualTo(1999 % 7);
        assertThat(BreakerHistory.RING_BYTES).as("bytes per active breaker").isEqualTo(26_100);
    }

    @Test
    void keepsRingsForAtMostMaxRingsBreakersAndSaysWhoseHistoryIsNotKept() throws Exception {
        int over = History.MAX_RINGS + 5;
        for (int i = 0; i < over; i++) {
            String key = String.format("upstream-%04d", i);
            breakers.trip(key, "all of them", "alice"); // open: active every second
            history.add(key, null);
        }
        tick();
        tick();

        assertThat(history.size()).isEqualTo(over);
        assertThat(history.allocated()).as("rings, not breakers, are bounded").isEqualTo(History.MAX_RINGS);
        long notKept = history.size() - java.util.stream.IntStream.range(0, over)
                .filter(i -> (Boolean) history.columns(String.format("upstream-%04d", i)).get("kept")).count();
        assertThat(notKept).isEqualTo(5);

        // a ring given back (its breaker left) is taken by one that had none, by the next second
        for (int i = 0; i < 10; i++) {
            breakers.remove(String.format("upstream-%04d", i));
        }
        tick();
        tick();
        assertThat(history.allocated()).isEqualTo(over - 10);
    }

    @Test
    void theLatencyOfASecondIsTheMeanOfThatSecondsTimedCalls() throws Exception {
        ManualClock clock = new ManualClock();
        try (CircuitBreakerRegistry timed = Registries.manual(clock, new TestLoad())
                .defaultConfig(BreakerConfig.builder().latencySampleEvery(1).build()).build()) {
            CircuitBreaker breaker = timed.breaker("fanduel");
            history.add("fanduel", null);
            for (int i = 0; i < 4; i++) {
                breaker.call(() -> { clock.advance(Duration.ofMillis(5)); return "ok"; }, Calls.TEST);
            }
            history.sample(timed, now += 1000);
            for (int i = 0; i < 2; i++) {
                breaker.call(() -> { clock.advance(Duration.ofMillis(300)); return "ok"; }, Calls.TEST);
            }
            history.sample(timed, now += 1000);
            Calls.failTimes(breaker, 3); // failed calls are not timed
            List<History.Second> last = history.sample(timed, now += 1000);

            Double[] latency = (Double[]) history.columns("fanduel").get("avgLatency");
            assertThat(latency[0]).isCloseTo(5.0, org.assertj.core.data.Offset.offset(0.001));
            assertThat(latency[1]).as("a slow second shows at once, not smoothed").isCloseTo(300.0,
                    org.assertj.core.data.Offset.offset(0.001));
            assertThat(latency[2]).as("only failures: no latency, not the last figure").isNull();
            assertThat(last).singleElement().extracting(History.Second::avgLatencyMs).isNull();
        }
    }

    @Test
    void recordsWhatHappenedInEachSecondNotTheTotals() throws Exception {
        CircuitBreaker breaker = breakers.breaker("fanduel");
        history.add("fanduel", null);
        Calls.succeed(breaker);
        Calls.succeed(breaker);
        tick();
        Calls.failTimes(breaker, 3);
        Calls.timeout(breaker);
        tick();
        tick();

        Map<String, Object> columns = history.columns("fanduel");
        assertThat(perSecond(columns, "calls")).containsExactly(2, 4, 0);
        assertThat(perSecond(columns, "failures")).containsExactly(0, 3, 0);
        assertThat(perSecond(columns, "timeouts")).containsExactly(0, 1, 0);
        assertThat((double[]) columns.get("failures")).containsExactly(0, 3.5, 3.5);
        assertThat((String[]) columns.get("state")).containsOnly("CLOSED");
        assertThat(((Double[]) columns.get("avgLatency"))[2]).as("no calls, no latency").isNull();
    }

    @Test
    void aBreakerFollowedFromTheStartCountsFromWhereItWas() throws Exception {
        CircuitBreaker breaker = breakers.breaker("fanduel");
        Calls.failTimes(breaker, 4);
        history.add("fanduel", History.counters(breaker.status()));
        Calls.fail(breaker);
        tick();

        assertThat(perSecond(history.columns("fanduel"), "failures")).containsExactly(1);
    }

    @Test
    void keepsTheStateOverTimeAndReportsABreakerGoingQuietOnce() throws Exception {
        CircuitBreaker breaker = breakers.breaker("fanduel");
        history.add("fanduel", null);
        tick();
        breaker.trip("maintenance", "alice");
        List<History.Second> tripped = tick();
        breaker.reset("done", "alice", true);
        List<History.Second> quiet = tick();
        List<History.Second> silent = tick();

        assertThat((String[]) history.columns("fanduel").get("state")).containsExactly("CLOSED", "OPEN", "CLOSED",
                "CLOSED");
        assertThat(tripped).extracting(History.Second::key).containsExactly("fanduel");
        assertThat(quiet).as("once more, at rest").extracting(s -> s.status().state().name()).containsExactly("CLOSED");
        assertThat(silent).isEmpty();
    }

    @Test
    void anIdleBreakerCostsNoRingAndFifteenIdleMinutesFreeIt() throws Exception {
        CircuitBreaker breaker = breakers.breaker("fanduel");
        history.add("fanduel", null);
        history.add("idle", null);
        breakers.breaker("idle");
        Calls.succeed(breaker);
        tick();
        assertThat(history.allocated()).isEqualTo(1);

        for (int i = 0; i < 899; i++) {
            tick();
        }
        assertThat(history.allocated()).isEqualTo(1);
        tick();

        assertThat(history.allocated()).as("freed after 900 idle seconds").isZero();
        assertThat(perSecond(history.columns("fanduel"), "calls")).hasSize(900).containsOnly(0);
        assertThat((long[]) history.columns("idle").get("at")).hasSize(900);
    }

    @Test
    void forgetsARemovedBreakerAndOneTheRegistryDroppedUnseen() {
        breakers.breaker("fanduel");
        breakers.breaker("betmgm");
        history.add("fanduel", null);
        history.add("betmgm", null);
        tick();

        history.remove("fanduel");
        breakers.remove("betmgm"); // as if the removal had not been heard of
        tick();

        assertThat(history.size()).isZero();
        assertThat((long[]) history.columns("fanduel").get("at")).isEmpty();
    }

    @Test
    void aBreakerAddedBetweenSamplesStartsAtTheNextOne() {
        breakers.breaker("fanduel");
        tick();
        history.add("fanduel", null);

        assertThat((long[]) history.columns("fanduel").get("at")).isEmpty();
        tick();
        assertThat(Arrays.stream((long[]) history.columns("fanduel").get("at")).boxed()).containsExactly(now);
    }
}
