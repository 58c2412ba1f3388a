package io.gatehouse.admin;

import static io.gatehouse.testing.TestAdmin.TOKEN;
import static io.gatehouse.testing.TestAdmin.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.TestAdmin;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's files and data endpoints over HTTP; {@code DashboardBrowserTest} drives the page itself. */
class DashboardFilesTest {
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    @TempDir
    Path dir;

    @Test
    void thePageIsServedWithoutTheTokenUnderAStrictContentSecurityPolicy() throws Exception {
        try (TestAdmin admin = TestAdmin.start(dir, config())) {
            HttpResponse<String> page = anonymous(admin, "/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(CSP);
            assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(page.headers().firstValue("ETag")).isPresent();
            assertThat(page.body()).contains("<script type=\"module\" src=\"dashboard.js\"></script>")
                    .doesNotContainPattern("<script(?![^>]*\\ssrc=)") // every script is a file: no inline one
                    .doesNotContainPattern("\\son[a-z]+=") // nor handler attributes
                    .doesNotContainPattern("\\sstyle=")
                    .doesNotContain(TOKEN);
        }
    }

    @Test
    void eachFileHasItsContentTypeAndIsRevalidatedByItsETag() throws Exception {
        try (TestAdmin admin = TestAdmin.start(dir, config())) {
            assertThat(anonymous(admin, "/dashboard.js").headers().firstValue("Content-Type"))
                    .hasValue("text/javascript; charset=utf-8");
            assertThat(anonymous(admin, "/charts.js").headers().firstValue("Content-Type"))
                    .hasValue("text/javascript; charset=utf-8");
            assertThat(anonymous(admin, "/dashboard.css").headers().firstValue("Content-Type"))
                    .hasValue("text/css; charset=utf-8");
            assertThat(anonymous(admin, "/favicon.svg").headers().firstValue("Content-Type"))
                    .hasValue("image/svg+xml");

            HttpResponse<String> script = anonymous(admin, "/dashboard.js");
            String etag = script.headers().firstValue("ETag").orElseThrow();
            HttpResponse<String> again = admin.send(HttpRequest.newBuilder(admin.uri("/dashboard.js"))
                    .timeout(Duration.ofSeconds(10)).header("If-None-Match", etag));
            assertThat(again.statusCode()).isEqualTo(304);
            assertThat(again.body()).isEmpty();
        }
    }

    @Test
    void anUnknownFileIsTheApisJson404AndOnlyGetIsAllowed() throws Exception {
        try (TestAdmin admin = TestAdmin.start(dir, config())) {
            HttpResponse<String> missing = anonymous(admin, "/secrets.js");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(json(missing).get("error").asText()).isEqualTo("not_found");

            HttpResponse<String> post = admin.send(HttpRequest.newBuilder(admin.uri("/"))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("x")));
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET");
            assertThat(json(post).get("error").asText()).isEqualTo("method_not_allowed");
        }
    }

    @Test
    void theDataNeedsTheToken() throws Exception {
        try (TestAdmin admin = TestAdmin.start(dir, config())) {
            assertThat(anonymous(admin, "/admin/stats/routes").statusCode()).isEqualTo(401);

            HttpResponse<String> stats = admin.get("/admin/stats/routes");
            assertThat(stats.statusCode()).isEqualTo(200);
            assertThat(json(stats).get("enabled").asBoolean()).isTrue();
            assertThat(json(stats).at("/routes/0/id").asText()).isEqualTo("users");

            HttpResponse<String> bad = admin.get("/admin/stats/routes?after=-1");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(json(bad).get("error").asText()).isEqualTo("invalid_query");
        }
    }

    @Test
    void theConfigVersionChangesWithTheConfig() throws Exception {
        try (TestAdmin admin = TestAdmin.start(dir, config())) {
            String before = json(admin.get("/admin/version")).get("config_version").asText();
            assertThat(before).matches("[0-9a-f]{12}");
            assertThat(json(admin.get("/admin/version")).get("config_version").asText()).isEqualTo(before);

            HttpResponse<String> put = admin.send("PUT", "/admin/routes/orders", "application/json",
                    "{\"match\": {\"path_prefix\": \"/orders\"}, \"pool\": \"users\"}");
            assertThat(put.statusCode()).isEqualTo(201);
            assertThat(json(admin.get("/admin/version")).get("config_version").asText()).isNotEqualTo(before);
        }
    }

    private static HttpResponse<String> anonymous(TestAdmin admin, String path) throws Exception {
        return admin.send(HttpRequest.newBuilder(admin.uri(path)).timeout(Duration.ofSeconds(10)).GET());
    }

    private static String config() {
        return """
                admin: {address: "127.0.0.1:0", token: %s}
                pools:
                  users: {backends: ["http://127.0.0.1:9"]}
                routes:
                  - {id: users, match: {path_prefix: /users}, pool: users}
                """.formatted(TOKEN);
    }
}
