package dev.fusebox.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What reaches the log about a request: ours and Jetty's lines at INFO and above. */
class RequestLoggingTest {

    private static final String SECRET = "token=" + "s".repeat(3000);

    @TempDir
    Path dir;

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level rootLevel = root.getLevel();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void capture() {
        log.start();
        root.setLevel(Level.INFO);
        root.addAppender(log);
    }

    @AfterEach
    void release() {
        root.detachAppender(log);
        root.setLevel(rootLevel);
    }

    @Test
    void failedRequestsAreLoggedWithTheirPathCutAndWithoutTheQueryString() throws Exception {
        // A scrape that fails every time: with an exception, then with an Error, in turn.
        AtomicInteger scrapes = new AtomicInteger();
        PrometheusMeterRegistry failing = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) {
            @Override
            public void scrape(java.io.OutputStream out) {
                if (scrapes.incrementAndGet() % 2 == 1) {
                    throw new IllegalStateException("scrape failed");
                }
                throw new AssertionError("scrape failed badly");
            }
        };
        String longPath = "/metrics" + "/".repeat(3000); // empty segments: still the metrics endpoint
        try (TestServer running = new TestServer(dir, b -> b.prometheus(failing))) {
            for (int i = 0; i < 200; i++) {
                RawHttp.Reply r = RawHttp.request(running.port(), "GET", longPath + "?" + SECRET, null, "");
                assertThat(r.status()).isEqualTo(500);
            }
        }

        List<String> lines = log.list.stream().map(e -> e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage())).toList();
        System.out.printf("measured: 200 failing requests with a 3,000-character path and query logged %,d"
                + " characters in %d lines%n", lines.stream().mapToInt(String::length).sum(), lines.size());
        assertThat(lines.stream().filter(l -> l.contains("Admin request GET /metrics"))).hasSize(200);
        assertThat(lines).allSatisfy(line -> {
            assertThat(line).doesNotContain("token=").doesNotContain("s".repeat(50));
            assertThat(line.length()).isLessThan(300);
        });
    }
}
