package dev.fusebox.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.testing.ManualClock;
import dev.fusebox.testing.Registries;
import dev.fusebox.testing.TestLoad;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scrapes that take long (thousands of breakers, megabytes of text) and need no token never hold
 * up {@code /health}: a liveness probe must not fail a healthy service because of a busy scraper.
 */
class SlowScrapeTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void healthAnswersWhileScrapesHangAndScrapesPastTheLanesRoomAreRefused() throws Exception {
        CountDownLatch scraping = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Gauge.builder("slow_to_read", () -> {
            scraping.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 1;
        }).register(prometheus);
        try (CircuitBreakerRegistry breakers = Registries.manual(new ManualClock(), new TestLoad()).build();
             AdminServer server = AdminServer.builder(breakers).port(0).tokensFile(Fixtures.tokens(dir))
                     .prometheus(prometheus).start()) {
            breakers.breaker("draftkings");
            String base = "http://127.0.0.1:" + server.port();
            CompletableFuture<HttpResponse<String>> first = get(base + "/metrics");
            assertThat(scraping.await(30, TimeUnit.SECONDS)).as("the first scrape is running").isTrue();
            List<CompletableFuture<HttpResponse<String>>> more = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                more.add(get(base + "/metrics"));
            }

            // One scrape runs, four wait: the other five are refused at once, while the scrape hangs.
            List<HttpResponse<String>> refused = Answers.await(more, 5, Duration.ofSeconds(30));
            assertThat(refused).hasSize(5).extracting(HttpResponse::statusCode).containsOnly(503);
            assertThat(refused).allSatisfy(r -> assertThat(r.body()).contains("\"BUSY\"", "metrics scrapes"));

            for (int i = 0; i < 10; i++) {
                HttpResponse<String> health = get(base + "/health").get(30, TimeUnit.SECONDS);
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).contains("draftkings");
            }
            assertThat(first).as("held, not answered, while the scrape hangs").isNotDone();
            assertThat(more.stream().filter(CompletableFuture::isDone)).hasSize(5);

            release.countDown();
            List<HttpResponse<String>> all = Answers.await(more, 9, Duration.ofSeconds(30));
            assertThat(all).extracting(HttpResponse::statusCode).containsOnly(200, 503)
                    .filteredOn(code -> code == 200).hasSize(4);
            assertThat(first.get(30, TimeUnit.SECONDS).body()).contains("slow_to_read 1.0");
        } finally {
            release.countDown();
        }
    }

    private CompletableFuture<HttpResponse<String>> get(String url) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
