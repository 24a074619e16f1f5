package dev.fusebox.bench;

import dev.fusebox.CallContext;
import dev.fusebox.CircuitBreakerRegistry;
import dev.fusebox.admin.AdminServer;
import dev.fusebox.micrometer.FuseboxMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A Prometheus scrape of a registry with many breakers: {@code scrape} renders the text in
 * process, {@code httpGetMetrics} is {@code GET /metrics} from the admin server over loopback, as
 * Prometheus sees it. Each breaker has had calls (so its duration buckets exist); one in a hundred
 * is tripped and has refused calls.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MetricsScrapeBenchmark {

    static final CallContext CTX = CallContext.of("closedCall", 10);

    @State(Scope.Benchmark)
    public static class Scraped {
        @Param({"10000"})
        public int breakers;

        CircuitBreakerRegistry registry;
        PrometheusMeterRegistry prometheus;
        AdminServer server;
        HttpClient http;
        HttpRequest get;
        Path tokens;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            registry = CircuitBreakerRegistry.builder().loadProbe(() -> 0.1).loadSampleInterval(Duration.ZERO)
                    .maxBreakers(breakers).idleTimeout(Duration.ZERO).build();
            registry.sampleLoad();
            prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new FuseboxMetrics(registry).bindTo(prometheus);
            for (int i = 0; i < breakers; i++) {
                String key = "upstream-" + i;
                for (int call = 0; call < 20; call++) {
                    registry.call(key, () -> "ok", CTX);
                }
                if (i % 100 == 0) {
                    registry.trip(key, "benchmark", "bench");
                    try {
                        registry.call(key, () -> "refused", CTX);
                    } catch (dev.fusebox.CircuitOpenException expected) {
                        // a refused call: its counter exists
                    }
                }
            }
            tokens = Files.createTempDirectory("fusebox-bench").resolve("tokens"); // created owner-only
            server = AdminServer.builder(registry).prometheus(prometheus).port(0).tokensFile(tokens).start();
            http = HttpClient.newHttpClient();
            get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build();
            String text = scrape();
            if (!text.contains("circuit_breaker_tripped{bookmaker=\"upstream-9999\"}") && breakers == 10000) {
                throw new IllegalStateException("the scrape misses breakers");
            }
        }

        String scrape() throws IOException, InterruptedException {
            HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET /metrics answered " + r.statusCode());
            }
            return r.body();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            server.close();
            registry.close();
            prometheus.close();
            Files.deleteIfExists(tokens);
            Files.deleteIfExists(tokens.getParent());
        }
    }

    @Benchmark
    public Object scrape(Scraped s) {
        return s.prometheus.scrape();
    }

    @Benchmark
    public Object httpGetMetrics(Scraped s) throws Exception {
        return s.scrape();
    }
}
