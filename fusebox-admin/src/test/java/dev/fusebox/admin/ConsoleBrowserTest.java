package dev.fusebox.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fusebox.testing.FlakyStore;
import dev.fusebox.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console in headless Chromium against a real admin server over real breakers: what an
 * operator sees and does. Every test ends by checking that the page logged no JavaScript error
 * and the browser no error (a CSP violation, a failed load). The screenshots in docs/ are taken
 * here: into {@code target/} on every run, into docs/ with {@code -Dfusebox.screenshots=../docs}.
 * Without Chromium this fails, naming the packages to install: CI installs them.
 */
class ConsoleBrowserTest {

    /** Where the screenshots go: the build's own folder, unless asked to refresh the docs'. */
    static final Path SHOTS = Path.of(System.getProperty("fusebox.screenshots", "target"));

    private static Browser browser;

    @TempDir
    Path dir;

    private ConsoleScene scene;
    private boolean expectNetworkErrors;
    /** HTTP statuses the test provokes: the browser logs each refused request, as it should. */
    private final java.util.Set<Integer> expectedRefusals = new java.util.HashSet<>();

    @BeforeAll
    static void startBrowser() {
        browser = new Browser();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void noJavaScriptErrors() throws Exception {
        try {
            List<String> problems = browser.problems();
            if (expectNetworkErrors) {
                // the stream's reconnects while the server is down fail as they should
                problems.removeIf(p -> p.contains("net::ERR_CONNECTION_REFUSED") || p.contains("/api/events"));
            }
            problems.removeIf(p -> expectedRefusals.stream().anyMatch(status ->
                    p.contains("Failed to load resource: the server responded with a status of " + status + " ")));
            assertThat(problems).as("JavaScript errors and browser errors").isEmpty();
        } finally {
            browser.open("about:blank");
            if (scene != null) {
                scene.close();
            }
        }
    }

    private ConsoleScene scene() throws Exception {
        scene = new ConsoleScene(dir);
        return scene;
    }

    /** A scene where bob tripped {@code key}, its page open. */
    private ConsoleScene trippedPage(String key) throws Exception {
        return trippedPage(key, scene());
    }

    private ConsoleScene trippedPage(String key, ConsoleScene s) throws Exception {
        s.breakers.trip(key, "maintenance", "bob");
        browser.open(s.url("/#/breaker/" + key));
        browser.awaitText(By.id("state"), "OPEN");
        return s;
    }

    private WebElement row(String key) {
        return browser.find(By.cssSelector("tr[data-key='" + key + "']"));
    }

    private String cell(String key, String column) {
        return row(key).findElement(By.className("col-" + column)).getText();
    }

    @Test
    void theOverviewListsEveryBreakerWithItsStateScoreAndTrip() throws Exception {
        ConsoleScene s = scene();
        s.traffic("draftkings", "fanduel");
        s.breakers.breaker("pinnacle");
        s.breakers.trip("betmgm", "maintenance window until 14:00", "alice");

        browser.open(s.url("/"));
        browser.awaitText(By.id("count"), "4 breakers, 1 tripped");
        assertThat(cell("betmgm", "state")).isEqualTo("OPEN");
        assertThat(cell("betmgm", "by")).isEqualTo("alice");
        assertThat(cell("betmgm", "why")).isEqualTo("maintenance window until 14:00");
        assertThat(cell("pinnacle", "state")).isEqualTo("CLOSED");
        // the upstream starts failing and trips fanduel: the row changes on its own
        s.upstreamFails();
        browser.await("fanduel to trip", d -> cell("fanduel", "state").contains("OPEN"));
        browser.await("fanduel's trip details", d -> cell("fanduel", "by").equals("fusebox")
                && cell("fanduel", "score").startsWith("10 / 10") && !cell("fanduel", "rejections").equals("0"));
        browser.await("draftkings's rates", d -> !cell("draftkings", "calls").equals("0")
                && cell("draftkings", "latency").endsWith("ms"));
        assertThat(browser.find(By.id("live")).getText()).startsWith("Live");
        assertThat(browser.find(By.id("load")).getText()).contains("of 0.85 to shed");

        browser.screenshot(SHOTS.resolve("console-overview.png"));
    }

    @Test
    void sortsAndFiltersByKey() throws Exception {
        ConsoleScene s = scene();
        for (String key : List.of("eu-fanduel", "us-draftkings", "eu-betway")) {
            s.breakers.breaker(key);
        }
        s.breakers.trip("us-draftkings", "maintenance", "alice");
        browser.open(s.url("/"));
        browser.awaitText(By.id("count"), "3 breakers");

        assertThat(keysShown()).as("tripped first, then by key").containsExactly("us-draftkings", "eu-betway",
                "eu-fanduel");
        browser.find(By.cssSelector("th[data-column='key'] button")).click();
        assertThat(keysShown()).containsExactly("eu-betway", "eu-fanduel", "us-draftkings");
        assertThat(browser.find(By.cssSelector("th[data-column='key']")).getAttribute("aria-sort"))
                .isEqualTo("ascending");
        browser.find(By.id("filter")).sendKeys("EU-");
        browser.awaitText(By.id("count"), "Showing 2 of 3 breakers");
        assertThat(keysShown()).containsExactly("eu-betway", "eu-fanduel");
    }

    private List<String> keysShown() {
        return browser.driver.findElements(By.cssSelector("#breakers tr")).stream().filter(WebElement::isDisplayed)
                .map(tr -> tr.getAttribute("data-key")).toList();
    }

    @Test
    void aTripThroughTheApiShowsWithoutReloading() throws Exception {
        ConsoleScene s = scene();
        s.breakers.breaker("draftkings");
        browser.open(s.url("/"));
        browser.awaitText(By.id("count"), "1 breaker, 0 tripped");
        browser.awaitText(By.id("live"), "Live");
        browser.script("window.__samePage = true");

        long start = System.nanoTime();
        assertThat(s.post("/api/breakers/draftkings/trip", Fixtures.ALICE, "{\"reason\": \"upstream maintenance\"}"))
                .isEqualTo(200);

        browser.await("the trip to show", d -> cell("draftkings", "state").contains("OPEN")
                && cell("draftkings", "by").equals("alice") && cell("draftkings", "why").equals("upstream maintenance"));
        System.out.println("[console] a trip made through the API showed on the page "
                + (System.nanoTime() - start) / 1_000_000 + " ms after the request was sent");
        assertThat(browser.script("return window.__samePage === true")).as("not reloaded").isEqualTo(true);
        assertThat(browser.find(By.id("count")).getText()).contains("1 tripped");
    }

    private void signIn(String token) {
        browser.find(By.id("token-enter")).click();
        browser.find(By.id("token-input")).sendKeys(token);
        browser.find(By.id("token-use")).click();
    }

    @Test
    void aResetMadeOnThePageWithATokenIsAuditedUnderItsUser() throws Exception {
        ConsoleScene s = trippedPage("quick");
        assertThat(browser.find(By.id("read-only")).getText()).contains("Read-only");

        signIn(Fixtures.ALICE);
        browser.awaitText(By.id("token-user"), "alice");
        browser.find(By.id("reset-reason")).sendKeys("upstream fixed");
        browser.find(By.id("reset-button")).click();

        browser.awaitText(By.id("action-result"), "Reset by alice");
        browser.awaitText(By.id("state"), "CLOSED");
        browser.awaitText(By.id("audit"), "RESET alice upstream fixed");
        assertThat(s.breakers.isTripped("quick")).isFalse();
        assertThat(s.breakers.audit("quick", 1).get(0).user()).isEqualTo("alice");
        assertThat(browser.script("return document.cookie")).as("the token is never a cookie").isEqualTo("");
        assertThat(browser.script("return sessionStorage.getItem('fusebox.token')")).isEqualTo(Fixtures.ALICE);
    }

    @Test
    void aDoubleClickOnResetSendsOneReset() throws Exception {
        ConsoleScene s = trippedPage("quick");
        signIn(Fixtures.ALICE);
        browser.awaitText(By.id("token-user"), "alice");
        browser.script("const send = window.fetch; window.__posts = 0;"
                + " window.fetch = (url, init) => { if (init && init.method === 'POST') window.__posts++;"
                + " return send(url, init); }");
        browser.find(By.id("reset-reason")).sendKeys("upstream fixed");

        new org.openqa.selenium.interactions.Actions(browser.driver).doubleClick(browser.find(By.id("reset-button")))
                .perform();

        browser.awaitText(By.id("action-result"), "Reset by alice");
        assertThat(browser.script("return window.__posts")).as("requests sent").isEqualTo(1L);
        assertThat(s.breakers.audit("quick", 10)).extracting(r -> r.action().toString()).containsExactly("RESET", "TRIP");
        assertThat(browser.find(By.id("reset-button")).isEnabled()).as("enabled again once answered").isTrue();
    }

    @Test
    void aResetInsideTheCooldownShowsTheTimeLeftAndOffersAForcedResetAfterASecondConfirmation() throws Exception {
        ManualClock clock = new ManualClock();
        scene = new ConsoleScene(dir, b -> b.clock(clock));
        ConsoleScene s = trippedPage("fanduel", scene);
        clock.advance(Duration.ofSeconds(15)); // 45 s of the 60 s cooldown left
        signIn(Fixtures.ALICE);
        browser.awaitText(By.id("token-user"), "alice");
        browser.find(By.id("reset-reason")).sendKeys("looks fine now");
        expectedRefusals.add(409);
        browser.find(By.id("reset-button")).click();

        WebElement cooldown = browser.awaitText(By.id("cooldown"), "Time left");
        String left = browser.find(By.id("cooldown-left")).getText();
        assertThat(left).as("the server's 45 s, counting down on the page's own clock").matches("\\d+ s");
        assertThat(Integer.parseInt(left.replace(" s", ""))).isBetween(30, 45);
        assertThat(cooldown.getText()).contains("Reset refused");
        assertThat(s.breakers.isTripped("fanduel")).isTrue();

        browser.find(By.id("force-button")).click();
        assertThat(s.breakers.isTripped("fanduel")).as("one click is not enough").isTrue();
        browser.find(By.id("force-confirm")).click();

        browser.awaitText(By.id("action-result"), "Forced reset by alice");
        browser.awaitText(By.id("state"), "CLOSED");
        browser.awaitText(By.id("audit"), "FORCED_RESET alice looks fine now");
        assertThat(browser.find(By.id("audit")).getText()).contains("RESET_DENIED alice looks fine now");
    }

    @Test
    void aWrongTokenIsRefusedWithAClearMessageAndTheConsoleStaysReadOnly() throws Exception {
        ConsoleScene s = trippedPage("fanduel");

        expectedRefusals.add(401);
        signIn("not-a-valid-token-0123456789");

        browser.awaitText(By.id("token-problem"), "The server refused this token: the token is not valid.");
        assertThat(browser.find(By.id("read-only")).isDisplayed()).isTrue();
        assertThat(browser.script("return sessionStorage.getItem('fusebox.token')")).isNull();
        assertThat(s.breakers.isTripped("fanduel")).isTrue();
    }

    @Test
    void aStoreThatIsDownIsShownUntilItIsBack() throws Exception {
        FlakyStore store = new FlakyStore();
        scene = new ConsoleScene(dir, b -> b.store(store));
        ConsoleScene s = scene;
        s.breakers.trip("draftkings", "maintenance", "alice");
        browser.open(s.url("/"));
        browser.awaitText(By.id("count"), "1 breaker, 1 tripped");
        assertThat(browser.find(By.id("store-banner")).isDisplayed()).isFalse();

        store.down(true);
        s.breakers.checkStore();
        WebElement banner = browser.awaitText(By.id("store-banner"), "The store is down since");
        assertThat(banner.getText()).contains("trips and resets are refused");

        store.down(false);
        s.breakers.checkStore();
        browser.await("the banner to go", d -> !d.findElement(By.id("store-banner")).isDisplayed());
    }

    @Test
    void aDroppedStreamSaysSoAndReconnectsByItself() throws Exception {
        ConsoleScene s = scene();
        s.breakers.breaker("draftkings");
        int port = s.server.port();
        browser.open(s.url("/"));
        browser.awaitText(By.id("live"), "Live");
        expectNetworkErrors = true;

        s.stopServer();
        browser.awaitText(By.id("banner"), "Live updates are down since");
        assertThat(browser.find(By.id("live")).getText()).contains("reconnecting");
        s.breakers.trip("draftkings", "while the page was cut off", "alice");

        try (AdminServer again = s.restartServer(port)) {
            browser.awaitText(By.id("live"), "Live");
            browser.await("the banner to go", d -> !d.findElement(By.id("banner")).isDisplayed());
            // what happened while it was down is loaded again on reconnect
            browser.await("the trip made meanwhile", d -> cell("draftkings", "state").contains("OPEN"));
        }
    }

    @Test
    void aTrippedBreakersPageShowsItsChartsWhyItTrippedAndItsAudit() throws Exception {
        ConsoleScene s = scene();
        s.traffic("draftkings", "fanduel");
        s.upstreamFails();
        ObjectMapper json = new ObjectMapper();
        browser.await("fanduel to trip and 15 s of history", d -> {
            try {
                return s.breakers.isTripped("fanduel")
                        && json.readTree(s.get("/api/breakers/fanduel/history")).get("at").size() >= 15;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        browser.open(s.url("/#/breaker/fanduel"));
        browser.awaitText(By.id("state"), "OPEN");
        browser.awaitText(By.id("evidence-note"), "10 failures in the window");
        assertThat(browser.driver.findElements(By.cssSelector("#evidence tr"))).hasSize(10);
        assertThat(browser.find(By.id("evidence")).getText()).contains("FAILURE", "500 Internal Server Error from fanduel");
        browser.awaitText(By.id("audit"), "AUTO_TRIP fusebox");
        browser.awaitText(By.id("periods"), "OPEN from");
        assertThat(browser.driver.findElements(By.cssSelector(".chart canvas"))).hasSize(3);
        assertThat(browser.find(By.cssSelector("[data-fact='by']")).getText()).isEqualTo("fusebox");
        signIn(Fixtures.ALICE);
        browser.awaitText(By.id("token-user"), "alice");
        browser.awaitText(By.id("load"), "of 0.85 to shed");

        browser.screenshot(SHOTS.resolve("console-breaker.png"));
    }

    @Test
    void twoThousandBreakersLoadAndStayLive() throws Exception {
        ConsoleScene s = scene();
        for (int i = 0; i < 2000; i++) {
            s.breakers.breaker(String.format("upstream-%04d", i));
        }
        long start = System.nanoTime();
        browser.open(s.url("/"));
        browser.awaitText(By.id("count"), "2,000 breakers, 0 tripped");
        long loadedMs = (System.nanoTime() - start) / 1_000_000;

        s.breakers.trip("upstream-1234", "a test among many", "alice");
        browser.await("one trip among 2,000", d -> cell("upstream-1234", "state").contains("OPEN"));
        start = System.nanoTime();
        for (int i = 0; i < 2000; i++) {
            s.breakers.trip(String.format("upstream-%04d", i), "all of them", "alice");
        }
        long tripsMs = (System.nanoTime() - start) / 1_000_000;
        // every summary now lists 2,000 breakers, each row changing every second
        browser.awaitText(By.id("count"), "2,000 breakers, 2,000 tripped");
        long allTrippedMs = (System.nanoTime() - start) / 1_000_000;
        s.breakers.reset("upstream-0007", "still answering", "alice", true);
        browser.await("a reset among 2,000 busy rows", d -> cell("upstream-0007", "state").equals("CLOSED"));
        browser.find(By.id("filter")).sendKeys("1234");
        browser.awaitText(By.id("count"), "Showing 1 of 2,000 breakers, 1,999 tripped");
        System.out.println("[console] 2,000 breakers: the overview loaded in " + loadedMs + " ms; 2,000 trips shown in "
                + allTrippedMs + " ms (making them took " + tripsMs + " ms)");
    }
}
