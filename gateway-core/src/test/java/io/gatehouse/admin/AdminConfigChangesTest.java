package io.gatehouse.admin;

import static io.gatehouse.testing.TestAdmin.TOKEN;
import static io.gatehouse.testing.TestAdmin.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.TestAdmin;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validate, reload, the reload history, and routes and pools changed one at a time. */
class AdminConfigChangesTest {
    private static final String CONFIG = """
            admin: {address: "127.0.0.1:0", token: %s}
            pools:
              users:
                backends: ["http://127.0.0.1:9"]
              spare:
                backends: ["http://127.0.0.1:7"]
            routes:
              - {id: users, match: {path_prefix: /users}, pool: users}
            """.formatted(TOKEN);
    private static final String ORDERS_ROUTE = "{\"match\": {\"path_prefix\": \"/orders\"}, \"pool\": \"users\"}";
    private static final String JSON = "application/json";

    @TempDir
    Path dir;
    private TestAdmin admin;

    @BeforeEach
    void start() throws Exception {
        admin = TestAdmin.start(dir, CONFIG);
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    @Test
    void validateAnswersTheDiffOrTheErrorsAndChangesNothing() throws Exception {
        HttpResponse<String> valid = admin.send("POST", "/admin/config/validate", "application/yaml",
                CONFIG + "  - {id: orders, match: {path_prefix: /orders}, pool: users}\n");
        assertThat(valid.statusCode()).isEqualTo(200);
        assertThat(json(valid).get("valid").asBoolean()).isTrue();
        assertThat(json(valid).at("/diff/routes/added/0").asText()).isEqualTo("orders");

        HttpResponse<String> invalid = admin.send("POST", "/admin/config/validate", "application/yaml",
                CONFIG.replace("pool: users}", "pool: nope}"));
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(json(invalid).get("valid").asBoolean()).isFalse();
        assertThat(json(invalid).at("/errors/0").asText()).isEqualTo("routes[0].pool: unknown pool \"nope\" (expected one of: users, spare)");

        assertThat(admin.send("POST", "/admin/config/validate", "text/plain", CONFIG).statusCode()).isEqualTo(415);
        HttpResponse<String> empty = admin.send("POST", "/admin/config/validate", "application/yaml", "");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(json(empty).get("error").asText()).isEqualTo("missing_body");
        assertThat(json(admin.get("/admin/reloads")).get("reloads")).isEmpty();
    }

    @Test
    void reloadReadsTheFileAgainAndTheHistoryShowsEachOutcome() throws Exception {
        Files.writeString(admin.file(), CONFIG.replace("path_prefix: /users", "path_prefix: users"));
        HttpResponse<String> rejected = admin.send(admin.request("/admin/reload").POST(noBody()));
        assertThat(rejected.statusCode()).isEqualTo(422);
        assertThat(json(rejected).get("error").asText()).isEqualTo("config_rejected");
        assertThat(json(rejected).at("/errors/0").asText()).startsWith("routes[0].match.path_prefix: \"users\"");

        Files.writeString(admin.file(), CONFIG.replace("/users}", "/people}"));
        HttpResponse<String> applied = admin.send(admin.request("/admin/reload").POST(noBody()));
        assertThat(applied.statusCode()).isEqualTo(200);
        assertThat(json(applied).get("result").asText()).isEqualTo("applied");
        assertThat(json(applied).get("trigger").asText()).isEqualTo("admin");

        JsonNode history = json(admin.get("/admin/reloads")).get("reloads");
        assertThat(history).extracting(outcome -> outcome.get("result").asText()).containsExactly("applied",
                "rejected");
        assertThat(history.get(1).at("/errors/0").asText()).startsWith("routes[0].match.path_prefix");
    }

    @Test
    void aReloadRotatesTheToken() throws Exception {
        String newToken = "rotated-token-0123456789abcdef";
        Files.writeString(admin.file(), CONFIG.replace(TOKEN, newToken));

        assertThat(admin.send(admin.request("/admin/reload").POST(noBody())).statusCode()).isEqualTo(200);

        assertThat(admin.get("/admin/version").statusCode()).isEqualTo(401);
        assertThat(admin.send(admin.request("/admin/version").setHeader("Authorization", "Bearer " + newToken))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void putAddsOrReplacesARouteAndGetShowsItAsWritten() throws Exception {
        HttpResponse<String> created = admin.send("PUT", "/admin/routes/orders", JSON, ORDERS_ROUTE);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created).get("result").asText()).isEqualTo("applied");
        assertThat(json(created).at("/diff/routes/added/0").asText()).isEqualTo("orders");

        HttpResponse<String> replaced = admin.send("PUT", "/admin/routes/orders", "application/yaml",
                "id: orders\nmatch: {path_prefix: /orders/v2}\npool: users\n");
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(json(replaced).at("/diff/routes/changed/0").asText()).isEqualTo("orders");

        JsonNode route = json(admin.get("/admin/routes/orders"));
        assertThat(route.get("id").asText()).isEqualTo("orders");
        assertThat(route.at("/match/path_prefix").asText()).isEqualTo("/orders/v2");
        assertThat(json(admin.get("/admin/routes")).get("routes")).extracting(r -> r.get("id").asText())
                .containsExactly("users", "orders");
        assertThat(Files.readString(admin.file())).isEqualTo(CONFIG); // not persisted
    }

    @Test
    void aRoutePutIsServedOnTheGatewayPortAndGoneOnceDeleted() throws Exception {
        try (MockWebServer backend = new MockWebServer()) {
            backend.start(0);
            backend.enqueue(new MockResponse.Builder().body("order 7").build());
            admin.send("PUT", "/admin/pools/orders", JSON,
                    "{\"backends\": [\"http://127.0.0.1:" + backend.getPort() + "\"]}");
            assertThat(admin.gateway().get("/orders/7").statusCode()).isEqualTo(404);

            HttpResponse<String> put = admin.send("PUT", "/admin/routes/orders", JSON,
                    ORDERS_ROUTE.replace("\"users\"", "\"orders\""));
            assertThat(put.statusCode()).isEqualTo(201);

            HttpResponse<String> served = admin.gateway().get("/orders/7");
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.body()).isEqualTo("order 7");
            assertThat(backend.takeRequest().getTarget()).isEqualTo("/orders/7");
            assertThat(json(admin.get("/admin/config")).at("/routes/1/id").asText()).isEqualTo("orders");
            assertThat(json(admin.get("/admin/upstreams")).at("/pools/orders/backends/0/address").asText())
                    .isEqualTo("127.0.0.1:" + backend.getPort());

            assertThat(admin.send(admin.request("/admin/routes/orders").DELETE()).statusCode()).isEqualTo(200);
            assertThat(admin.gateway().get("/orders/7").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void deleteRemovesARouteOrSaysThereIsNone() throws Exception {
        admin.send("PUT", "/admin/routes/orders", JSON, ORDERS_ROUTE);
        assertThat(admin.send(admin.request("/admin/routes/orders").DELETE()).statusCode()).isEqualTo(200);
        HttpResponse<String> gone = admin.get("/admin/routes/orders");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(json(gone).get("message").asText()).isEqualTo("no route has id orders in the running config");
        assertThat(admin.send(admin.request("/admin/routes/orders").DELETE()).statusCode()).isEqualTo(404);
    }

    @Test
    void aChangeLeavingARouteWithoutItsPoolIsRefusedWithThePathOfTheProblem() throws Exception {
        HttpResponse<String> refused = admin.send(admin.request("/admin/pools/users").DELETE());
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(json(refused).get("error").asText()).isEqualTo("config_rejected");
        assertThat(json(refused).at("/errors/0").asText()).isEqualTo("routes[0].pool: unknown pool \"users\" (expected one of: spare)");
        assertThat(json(admin.get("/admin/pools/users")).at("/backends/0").asText()).isEqualTo("http://127.0.0.1:9");

        HttpResponse<String> missingPool = admin.send("PUT", "/admin/routes/orders", JSON,
                ORDERS_ROUTE.replace("\"users\"", "\"orders\""));
        assertThat(missingPool.statusCode()).isEqualTo(422);
        assertThat(json(missingPool).at("/errors/0").asText()).startsWith("routes[1].pool: unknown pool \"orders\"");
    }

    @Test
    void poolsArePutAndDeletedByName() throws Exception {
        HttpResponse<String> created = admin.send("PUT", "/admin/pools/orders", JSON,
                "{\"backends\": [\"http://127.0.0.1:8\"], \"strategy\": \"least_connections\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(admin.get("/admin/pools")).at("/pools/orders/strategy").asText())
                .isEqualTo("least_connections");
        assertThat(admin.send(admin.request("/admin/pools/orders").DELETE()).statusCode()).isEqualTo(200);
        assertThat(admin.get("/admin/pools/orders").statusCode()).isEqualTo(404);
    }

    @Test
    void badBodiesAreRefusedBeforeAnythingChanges() throws Exception {
        HttpResponse<String> badJson = admin.send("PUT", "/admin/routes/orders", JSON, "{\"match\": ");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(json(badJson).get("error").asText()).isEqualTo("invalid_json");
        HttpResponse<String> badYaml = admin.send("PUT", "/admin/routes/orders", "application/yaml", "a: [b");
        assertThat(badYaml.statusCode()).isEqualTo(400);
        assertThat(json(badYaml).get("error").asText()).isEqualTo("invalid_yaml");
        assertThat(admin.send("PUT", "/admin/routes/orders", JSON, "[1]").statusCode()).isEqualTo(400);
        assertThat(admin.send("PUT", "/admin/routes/orders", "text/plain", ORDERS_ROUTE).statusCode())
                .isEqualTo(415);
        HttpResponse<String> mismatch = admin.send("PUT", "/admin/routes/orders", JSON,
                "{\"id\": \"other\", \"match\": {\"path_prefix\": \"/o\"}, \"pool\": \"users\"}");
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(json(mismatch).get("error").asText()).isEqualTo("id_mismatch");
        assertThat(admin.send("PUT", "/admin/routes/orders?persist=maybe", JSON, ORDERS_ROUTE).statusCode())
                .isEqualTo(400);
        assertThat(json(admin.get("/admin/reloads")).get("reloads")).isEmpty();
    }

    @Test
    void persistRewritesTheFileWhichARestartReads() throws Exception {
        HttpResponse<String> created = admin.send("PUT", "/admin/routes/orders?persist=true", JSON, ORDERS_ROUTE);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created).get("persisted").asBoolean()).isTrue();
        assertThat(Files.readString(admin.file())).contains("orders", TOKEN);

        admin.close();
        admin = TestAdmin.start(admin.file());

        assertThat(json(admin.get("/admin/routes/orders")).at("/match/path_prefix").asText()).isEqualTo("/orders");
        assertThat(json(admin.get("/admin/config")).get("routes")).hasSize(2);
    }

    private static java.net.http.HttpRequest.BodyPublisher noBody() {
        return java.net.http.HttpRequest.BodyPublishers.noBody();
    }
}
