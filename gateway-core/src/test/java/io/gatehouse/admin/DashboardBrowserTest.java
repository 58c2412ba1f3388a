package io.gatehouse.admin;

import static io.gatehouse.testing.TestAdmin.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.testing.HeadlessChromium;
import io.gatehouse.testing.NamedBackend;
import io.gatehouse.testing.TestAdmin;
import io.gatehouse.testing.TestGateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;

/**
 * The dashboard in a real headless Chromium against a real gateway with health-checked backends: sign in with the
 * token, see the routes, see a killed backend turn DOWN, see traffic and errors move the charts. Screenshots land in
 * {@code target/dashboard/}.
 */
class DashboardBrowserTest {
    private static final Duration HEALTH_INTERVAL = Duration.ofSeconds(1);
    private static final Duration PAGE_POLL = Duration.ofSeconds(1);
    private static final Path SCREENSHOTS = Path.of("target", "dashboard");

    @TempDir
    Path dir;

    @Test
    void showsRoutesBackendHealthAndLiveTraffic() throws Exception {
        try (NamedBackend one = new NamedBackend("one");
             NamedBackend two = new NamedBackend("two");
             TestAdmin admin = TestAdmin.start(dir, config(one, two));
             HeadlessChromium chromium = HeadlessChromium.start(1366, 768)) {
            ChromeDriver page = chromium.driver();
            page.get(admin.uri("/").toString());

            signIn(page, "not-the-admin-token-0123456789");
            await().atMost(Duration.ofSeconds(10)).pollInSameThread()
                    .until(() -> page.findElement(By.id("login-error")).isDisplayed());
            assertThat(page.findElement(By.id("login-error")).getText()).contains("refused this token");
            chromium.consoleLog(); // the refused token's 401 is logged as a failed load: expected, dropped here

            signIn(page, TOKEN);
            await().atMost(Duration.ofSeconds(10)).pollInSameThread()
                    .until(() -> routeIds(page).equals(List.of("users", "orders")));
            assertThat(page.getCurrentUrl()).doesNotContain(TOKEN);
            assertThat(page.executeScript("return sessionStorage.getItem('gatehouse-admin-token')")).isEqualTo(TOKEN);
            WebElement users = page.findElement(By.cssSelector("tr[data-route='users']"));
            assertThat(users.findElement(By.className("match")).getText()).contains("/users", "prefix", "GET");
            assertThat(users.findElement(By.className("pool")).getText()).isEqualTo("users");
            assertThat(users.findElement(By.className("policies")).getText()).contains("public", "timeout 5s");
            assertThat(page.findElement(By.id("config-version")).getText()).matches("[0-9a-f]{12}");
            await().atMost(Duration.ofSeconds(10)).pollInSameThread().until(() ->
                    backendState(page, two).equals("up") && backendState(page, one).equals("up"));

            two.close();
            // Down at its next probe (a refused connect counts at once), shown at the page's next poll.
            await().atMost(HEALTH_INTERVAL.plus(PAGE_POLL.multipliedBy(2)).plusSeconds(2)).pollInSameThread()
                    .until(() -> backendState(page, two).equals("down"));
            assertThat(backendState(page, one)).isEqualTo("up");

            TestGateway gateway = admin.gateway();
            await().atMost(Duration.ofSeconds(20)).pollInSameThread().pollInterval(Duration.ofMillis(300)).until(() -> {
                for (int i = 0; i < 5; i++) {
                    gateway.get("/users");
                    gateway.get("/orders");
                }
                return value(page, "users", "rate") > 0 && peak(page, "users", "rate") > 0
                        && peak(page, "orders", "errors") > 0 && peak(page, "users", "p99") > 0;
            });
            assertThat(value(page, "orders", "errors")).as("every orders request is a 502: 100 %").isEqualTo(100);

            chromium.screenshot(SCREENSHOTS.resolve("dashboard-1366x768.png"));
            assertThat(horizontalOverflow(page)).as("no horizontal scrolling at 1366x768").isZero();
            chromium.viewport(1920, 1080);
            chromium.screenshot(SCREENSHOTS.resolve("dashboard-1920x1080.png"));
            assertThat(horizontalOverflow(page)).as("no horizontal scrolling at 1920x1080").isZero();

            List<LogEntry> errors = chromium.consoleLog().stream()
                    .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue()).toList();
            assertThat(errors).as("console warnings and errors once signed in").isEmpty();
        }
    }

    @Test
    void withUnauthenticatedLoopbackAndMetricsOffItOpensWithoutATokenAndSaysThereAreNoSeries() throws Exception {
        try (NamedBackend backend = new NamedBackend("one");
             TestAdmin admin = TestAdmin.start(dir, """
                     admin: {address: "127.0.0.1:0", allow_unauthenticated_loopback: true}
                     metrics: {enabled: false}
                     pools:
                       users: {backends: ["%s"]}
                     routes:
                       - {id: users, match: {path_prefix: /users}, pool: users}
                     """.formatted(backend.url()));
             HeadlessChromium chromium = HeadlessChromium.start(1366, 768)) {
            ChromeDriver page = chromium.driver();
            page.get(admin.uri("/").toString());
            signIn(page, "");
            await().atMost(Duration.ofSeconds(10)).pollInSameThread()
                    .until(() -> page.findElement(By.id("metrics-off")).isDisplayed());
            assertThat(page.findElement(By.id("metrics-off")).getText()).contains("Metrics are off");
            assertThat(routeIds(page)).containsExactly("users");
            assertThat(value(page, "users", "rate")).as("no number without metrics").isEqualTo(-1);
            assertThat(chromium.consoleLog()).isEmpty();
        }
    }

    private static void signIn(ChromeDriver page, String token) {
        WebElement field = page.findElement(By.id("token"));
        await().atMost(Duration.ofSeconds(10)).pollInSameThread().until(field::isDisplayed);
        field.clear();
        field.sendKeys(token);
        page.findElement(By.cssSelector("#login-form button[type=submit]")).click();
    }

    private static List<String> routeIds(ChromeDriver page) {
        return page.findElements(By.cssSelector("#routes tbody tr")).stream()
                .map(row -> row.getAttribute("data-route")).toList();
    }

    private static String backendState(ChromeDriver page, NamedBackend backend) {
        return text(page, "[data-pool='users'] tr[data-backend='127.0.0.1:" + backend.port() + "'] .badge");
    }

    /** The number shown for a route's metric ({@code rate}, {@code errors} in %, {@code p99}); -1 for none. */
    private static double value(ChromeDriver page, String route, String metric) {
        String text = text(page, "tr[data-route='" + route + "'] ." + metric + " .value").replace("%", "").strip();
        return text.equals("-") || text.isEmpty() ? -1 : Double.parseDouble(text);
    }

    /** The highest point of a route's chart over the last 15 minutes. */
    private static double peak(ChromeDriver page, String route, String metric) {
        Object peak = page.executeScript("const chart = document.querySelector(arguments[0]);"
                + " return chart ? chart.dataset.peak : '0'", "tr[data-route='" + route + "'] ." + metric + " svg.spark");
        return Double.parseDouble(String.valueOf(peak));
    }

    /** The text of the first element {@code selector} finds now, read in one step: the page may redraw meanwhile. */
    private static String text(ChromeDriver page, String selector) {
        return String.valueOf(page.executeScript(
                "const found = document.querySelector(arguments[0]); return found ? found.textContent : ''", selector));
    }

    private static long horizontalOverflow(ChromeDriver page) {
        return (Long) page.executeScript(
                "return Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth)");
    }

    private static String config(NamedBackend one, NamedBackend two) {
        return """
                admin: {address: "127.0.0.1:0", token: %s}
                pools:
                  users:
                    backends: ["%s", "%s"]
                    health_check: {path: /healthz, interval: %dms, timeout: 500ms, healthy_threshold: 1,
                                   unhealthy_threshold: 1}
                  orders: {backends: ["http://127.0.0.1:9"]}
                routes:
                  - {id: users, match: {path_prefix: /users, methods: [GET]}, pool: users, response_timeout: 5s}
                  - {id: orders, match: {path_prefix: /orders}, pool: orders}
                """.formatted(TOKEN, one.url(), two.url(), HEALTH_INTERVAL.toMillis());
    }
}
