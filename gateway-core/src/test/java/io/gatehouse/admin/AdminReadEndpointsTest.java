package io.gatehouse.admin;

import static io.gatehouse.testing.TestAdmin.TOKEN;
import static io.gatehouse.testing.TestAdmin.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.TestAdmin;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoints that only read: version, config, upstreams, explain. */
class AdminReadEndpointsTest {
    @TempDir
    Path dir;

    @Test
    void versionNamesTheBuild() throws Exception {
        try (TestAdmin admin = TestAdmin.start(dir, config(8))) {
            HttpResponse<String> response = admin.get("/admin/version");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode version = json(response);
            assertThat(version.get("name").asText()).isEqualTo("gatehouse");
            assertThat(version.get("version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
            assertThat(version.get("java").asText()).startsWith(Runtime.version().feature() + "");
        }
    }

    @Test
    void configIsTheEffectiveOneWithTheTokenRedacted() throws Exception {
        try (TestAdmin admin = TestAdmin.start(dir, config(8))) {
            HttpResponse<String> response = admin.get("/admin/config");
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode config = json(response);
            assertThat(config.at("/routes/0/id").asText()).isEqualTo("users");
            assertThat(config.at("/pools/users/max_connections").asInt()).isEqualTo(256); // a default, filled in
            assertThat(config.at("/admin/token").asText()).isEqualTo("[redacted]");
            assertThat(response.body()).doesNotContain(TOKEN);
        }
    }

    @Test
    void upstreamsShowEachBackendsLiveState() throws Exception {
        try (MockWebServer backend = new MockWebServer()) {
            backend.start(0);
            backend.enqueue(new MockResponse.Builder().body("hi").build());
            try (TestAdmin admin = TestAdmin.start(dir, config(backend.getPort()))) {
                assertThat(admin.gateway().get("/users").statusCode()).isEqualTo(200);

                JsonNode users = json(admin.get("/admin/upstreams")).at("/pools/users");
                assertThat(users.get("strategy").asText()).isEqualTo("round_robin");
                JsonNode first = users.at("/backends/0");
                assertThat(first.get("address").asText()).isEqualTo("127.0.0.1:" + backend.getPort());
                assertThat(first.get("healthy").asBoolean()).isTrue();
                assertThat(first.get("ejected").asBoolean()).isFalse();
                assertThat(first.get("drained").asBoolean()).isFalse();
                assertThat(first.get("circuit_breaker").asText()).isEqualTo("closed");
                assertThat(first.get("in_flight").asInt()).isZero();
                assertThat(first.at("/connections/idle").asInt()).isEqualTo(1); // kept alive after the request
                assertThat(first.at("/connections/active").asInt()).isZero();
                assertThat(users.at("/backends/1/address").asText()).isEqualTo("127.0.0.1:9");
            }
        }
    }

    @Test
    void explainSaysWhichRouteAndWhy() throws Exception {
        try (TestAdmin admin = TestAdmin.start(dir, config(8))) {
            HttpResponse<String> response = admin.get("/admin/explain?method=GET&path=/users/7&header=X-A:1");
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode explanation = json(response);
            assertThat(explanation.get("outcome").asText()).isEqualTo("proxy");
            assertThat(explanation.get("normalized_path").asText()).isEqualTo("/users/7");
            assertThat(explanation.at("/route/id").asText()).isEqualTo("users");
            assertThat(explanation.at("/route/match_kind").asText()).isEqualTo("prefix");
            assertThat(explanation.at("/forwarded/path").asText()).isEqualTo("/users/7");

            HttpResponse<String> missing = admin.get("/admin/explain?method=GET");
            assertThat(missing.statusCode()).isEqualTo(400);
            assertThat(json(missing).get("error").asText()).isEqualTo("invalid_query");
            assertThat(json(missing).get("message").asText()).startsWith("path: missing");
        }
    }

    private static String config(int port) {
        return """
                admin: {address: "127.0.0.1:0", token: %s}
                pools:
                  users:
                    backends: ["http://127.0.0.1:%d", "http://127.0.0.1:9"]
                    circuit_breaker: {consecutive_failures: 5}
                routes:
                  - {id: users, match: {path_prefix: /users}, pool: users}
                """.formatted(TOKEN, port);
    }
}
