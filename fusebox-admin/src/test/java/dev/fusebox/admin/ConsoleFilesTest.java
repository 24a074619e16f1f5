package dev.fusebox.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's files as the server sends them: types, caching, and the headers that keep the page safe. */
class ConsoleFilesTest {

    private static final Path SOURCES = Path.of("src/main/resources/dev/fusebox/admin/console");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private TestServer running;

    @BeforeEach
    void start() throws IOException {
        running = new TestServer(dir);
    }

    @AfterEach
    void stop() {
        running.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.port() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageAtTheRootWithAPolicyThatAllowsOnlyItsOwnFiles() throws Exception {
        HttpResponse<String> page = get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'none'", "script-src 'self';", "style-src 'self';", "connect-src 'self'",
                        "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:"));
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.body()).contains("<script type=\"module\" src=\"/console/app.js\"></script>");
    }

    @Test
    void theApiAnswersCarryTheSameHeadersAndStayUncached() throws Exception {
        for (String path : List.of("/health", "/api/breakers", "/api/nothing")) {
            HttpResponse<String> r = get(path);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(r.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
            assertThat(r.headers().firstValue("Cache-Control")).as(path).hasValue("no-store");
        }
    }

    @Test
    void ourFilesAreRevalidatedByETagAndUPlotIsKeptForAYear() throws Exception {
        HttpResponse<String> app = get("/console/app.js");
        String etag = app.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = get("/console/app.js", "If-None-Match", etag);
        HttpResponse<String> uplot = get(ConsoleFiles.VENDOR_PATH + "uPlot.esm.js");
        HttpResponse<String> css = get("/console/console.css");

        assertThat(app.statusCode()).isEqualTo(200);
        assertThat(app.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(app.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(etag).matches("\"[A-Za-z0-9_-]{22}\"");
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(uplot.body()).contains("export { uPlot as default }");
        assertThat(css.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(get("/console/nothing.js").statusCode()).isEqualTo(404);
    }

    @Test
    void answersHeadAndRefusesOtherMethods() throws Exception {
        RawHttp.Reply head = RawHttp.request(running.port(), "HEAD", "/console/app.js", null, "");
        RawHttp.Reply put = RawHttp.request(running.port(), "PUT", "/", null, "x");
        RawHttp.Reply post = RawHttp.request(running.port(), "POST", "/api/events", null, "");

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.body()).contains("METHOD_NOT_ALLOWED");
        assertThat(post.status()).isEqualTo(405);
    }

    @Test
    void theConsoleIsBehindTheHostCheckLikeTheApi() throws Exception {
        RawHttp.Reply rebound = RawHttp.send(RawHttp.LOOPBACK, running.port(),
                "GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n", Duration.ofSeconds(10));

        assertThat(rebound.status()).isEqualTo(421);
    }

    @Test
    void everyFileIsServedAndNoneRunsInlineScriptOrStyle() throws IOException {
        List<String> files;
        try (Stream<Path> list = Files.list(SOURCES)) {
            files = list.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(files).as("every file in the console folder is in ConsoleFiles.OWN")
                .containsExactlyInAnyOrderElementsOf(ConsoleFiles.OWN);
        String html = Files.readString(SOURCES.resolve("index.html"));
        assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(html).find()).as("inline script").isFalse();
        assertThat(Pattern.compile("\\son[a-z]+=|\\sstyle=|<style", Pattern.CASE_INSENSITIVE).matcher(html).find())
                .as("inline handlers or styles").isFalse();
        assertThat(html).contains(ConsoleFiles.VENDOR_PATH + "uPlot.min.css");
        assertThat(Files.readString(SOURCES.resolve("charts.js"))).contains(ConsoleFiles.VENDOR_PATH + "uPlot.esm.js");
        for (String js : files.stream().filter(f -> f.endsWith(".js")).toList()) {
            assertThat(Files.readString(SOURCES.resolve(js))).as(js)
                    .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(", "new Function",
                            "document.cookie", "localStorage");
        }
    }
}
