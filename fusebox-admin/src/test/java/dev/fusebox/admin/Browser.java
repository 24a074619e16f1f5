package dev.fusebox.admin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven by Selenium, with Debian's {@code chromium} and {@code chromium-driver}
 * (never a browser Selenium would download). Every page it opens records its JavaScript errors and
 * unhandled promise rejections from its first script on; {@link #problems()} returns them with the
 * browser's own error log (CSP violations, failed loads). Waits are explicit and generous: a slow
 * machine takes longer, it does not fail.
 */
final class Browser implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    /** Installed before any script of a page runs. */
    private static final String RECORD_ERRORS = "window.__errors = [];"
            + "window.addEventListener('error', e => window.__errors.push('error: ' + e.message + ' at '"
            + " + e.filename + ':' + e.lineno));"
            + "window.addEventListener('unhandledrejection', e => window.__errors.push('unhandled rejection: '"
            + " + (e.reason && e.reason.stack || e.reason)));";

    final ChromeDriver driver;

    Browser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("The console's browser tests need Chromium and its driver at " + CHROMIUM
                    + " and " + DRIVER + ". Install them (Debian, as root): apt-get update && apt-get install -y"
                    + " chromium chromium-driver  (.ci/run does this on CI)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1440,1000", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--disable-extensions", "--no-first-run", "--lang=en-GB");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(PATIENCE).scriptTimeout(PATIENCE);
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORD_ERRORS));
    }

    void open(String url) {
        driver.get(url);
    }

    /** Waits up to {@link #PATIENCE} for {@code condition} to return something other than null or false. */
    <T> T await(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, PATIENCE).pollingEvery(Duration.ofMillis(50)).withMessage(what)
                .ignoring(RuntimeException.class).until(condition);
    }

    /** Waits for an element's text to contain {@code text}; returns the element. */
    WebElement awaitText(By by, String text) {
        return await(by + " to show '" + text + "'", d -> {
            WebElement e = d.findElement(by);
            return e.getText().contains(text) ? e : null;
        });
    }

    WebElement find(By by) {
        return driver.findElement(by);
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** JavaScript errors of the page and the browser's error log since the last call. */
    List<String> problems() {
        List<String> out = new ArrayList<>();
        Object errors = script("return window.__errors || []");
        if (errors instanceof List<?> list) {
            list.forEach(e -> out.add(String.valueOf(e)));
        }
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                out.add("console: " + entry.getMessage());
            }
        }
        return out;
    }

    /** Saves a screenshot of the whole page (up to 2,400 pixels high) as PNG. */
    void screenshot(Path file) throws java.io.IOException {
        Files.createDirectories(file.getParent());
        Dimension window = driver.manage().window().getSize();
        long page = ((Number) script("return document.documentElement.scrollHeight")).longValue();
        driver.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.min(2400, Math.max(600, page))));
        try {
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } finally {
            driver.manage().window().setSize(window);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
