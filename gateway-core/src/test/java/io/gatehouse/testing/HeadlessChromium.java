package io.gatehouse.testing;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

/**
 * A real Chromium, headless, driven by Selenium through the Debian packages' {@code /usr/bin/chromium} and
 * {@code /usr/bin/chromedriver} (test.sh installs them): both paths are given, so Selenium Manager never downloads a
 * browser or a driver. Each instance has a fresh profile, removed on close. When Chromium cannot start this throws:
 * a test that needs it fails, it is not skipped.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final Path BROWSER = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts Chromium with a page viewport of {@code width} x {@code height}. */
    public static HeadlessChromium start(int width, int height) throws IOException {
        for (Path program : List.of(BROWSER, DRIVER)) {
            if (!Files.isExecutable(program)) {
                throw new IllegalStateException(program + " is missing: install the Debian packages chromium and"
                        + " chromium-driver (test.sh does)");
            }
        }
        Path profile = Files.createTempDirectory("gatehouse-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(BROWSER.toFile()).addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        HeadlessChromium chromium;
        try {
            chromium = new HeadlessChromium(new ChromeDriver(service, options), profile);
        } catch (RuntimeException e) {
            TempDirs.deleteRecursively(profile);
            throw e;
        }
        try {
            chromium.viewport(width, height);
        } catch (RuntimeException e) {
            chromium.close();
            throw e;
        }
        return chromium;
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Sets the size of the page's viewport, as on a screen of that size without any browser frame. */
    public void viewport(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    /** What the page logged to the console (errors included: failed loads, CSP violations) since the last call. */
    public List<LogEntry> consoleLog() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    /** Saves a PNG of the page's viewport to {@code file}. */
    public void screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            TempDirs.deleteRecursively(profile);
        }
    }
}
