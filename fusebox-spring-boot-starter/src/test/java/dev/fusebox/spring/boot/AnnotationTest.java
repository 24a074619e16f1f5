package dev.fusebox.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.CircuitOpenException;
import dev.fusebox.LoadShedException;
import dev.fusebox.State;
import dev.fusebox.spring.boot.app.BookmakerTestApplication;
import dev.fusebox.spring.boot.app.MarketsClient;
import dev.fusebox.spring.boot.support.Http;
import dev.fusebox.spring.boot.support.RunningApp;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** {@code @Breaker} on a running application's bean, called over HTTP and directly. */
@SpringBootTest(classes = BookmakerTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AnnotationTest extends RunningApp {

    @Autowired
    MarketsClient client;

    @Test
    void tripsAfterTenFailuresThenTheFallbackAnswersWithoutCallingTheUpstream() {
        draftkings.failing(true);
        for (int i = 0; i < 10; i++) {
            assertThat(http.get("/markets/nfl").status()).as("failure %d reaches the caller", i + 1).isEqualTo(500);
        }

        Http.Answer answer = http.get("/markets/nfl");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("cached nfl (CIRCUIT_OPEN)");
        assertThat(draftkings.calls()).as("the tripped breaker kept the upstream out").isEqualTo(10);
        assertThat(registry.breaker("draftkings").state()).isEqualTo(State.OPEN);
        assertThat(registry.breaker("draftkings").rejectionsByOperation()).containsKey("deepProbe");
    }

    @Test
    void aFailureTheFallbackDoesNotTakeReachesTheCallerUnchanged() {
        draftkings.failing(true);

        assertThatThrownBy(() -> client.markets("nba")).isInstanceOf(IOException.class)
                .hasMessage("500 Internal Server Error");
        assertThat(registry.breaker("draftkings").status().failures()).isEqualTo(1.0);
    }

    @Test
    void asyncFailuresAreCountedAndTheClosestFallbackAnswersEach() {
        fanduel.failing(true);
        for (int i = 0; i < 10; i++) {
            assertThat(client.odds("nhl").join()).isEqualTo("later nhl (IOException)");
        }

        assertThat(client.odds("nhl").join()).isEqualTo("refused nhl (CIRCUIT_OPEN)");
        assertThat(fanduel.calls()).isEqualTo(10);
        assertThat(registry.find("fanduel")).as("the key's placeholder was resolved").isPresent();
        assertThat(registry.breaker("fanduel").isTripped()).isTrue();
    }

    @Test
    void aHeavyCallIsShedWhileTheSystemIsOverloaded() throws Exception {
        load.set(0.95);
        registry.sampleLoad();

        assertThatThrownBy(() -> client.graph("nfl")).isInstanceOf(LoadShedException.class);
        assertThat(client.markets("nfl")).as("load 50 is not heavy").isEqualTo("live nfl");
        assertThat(draftkings.calls()).isEqualTo(1);
    }

    @Test
    void aCallFromInsideTheBeanDoesNotGoThroughTheBreaker() throws Exception {
        registry.trip("draftkings", "maintenance", "test");

        assertThat(client.markets("nfl")).as("through the proxy").startsWith("cached");
        assertThat(client.marketsFromInside("nfl")).as("this.markets(): the documented limit").isEqualTo("live nfl");
        assertThatThrownBy(() -> registry.breaker("draftkings").call(() -> "x")).isInstanceOf(CircuitOpenException.class);
    }
}
