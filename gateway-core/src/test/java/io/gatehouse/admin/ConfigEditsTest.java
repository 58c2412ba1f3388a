package io.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigEditsTest {
    private static final Map<String, String> ENV = Map.of("USERS_HOST", "127.0.0.1", "KEY", "k".repeat(20));
    private static final String CONFIG = """
            server: {port: "8081", trusted_proxies: ["127.0.0.1/32"]}
            pools:
              users:
                backends: ["http://${USERS_HOST}:9001", {url: "http://127.0.0.1:9003", weight: 2}]
                health_check: {path: /healthz, expected_status: 2xx}
            routes:
              - {id: users, match: {path_prefix: /users, headers: {x-v: "2", x-on: "on", x-star: "*"}}, pool: users}
              - {id: inventory, match: {path_prefix: /inventory}, upstream: "http://127.0.0.1:9002"}
            cors: {allowed_origins: ["*"], max_age: 10m}
            auth:
              default: []
              api_keys: {keys: [{id: dev, key: "${KEY}"}]}
            """;

    @Test
    void writingBackMeansTheSameAndKeepsVariables() throws Exception {
        for (String yaml : new String[] {CONFIG, Files.readString(Path.of("../config.yml"))}) {
            String written = ConfigEdits.yaml(ConfigEdits.tree(yaml));
            assertThat(ConfigEdits.tree(written)).isEqualTo(ConfigEdits.tree(yaml));
            Map<String, String> env = Map.of("USERS_HOST", "127.0.0.1", "KEY", "k".repeat(20),
                    "DEMO_API_KEY", "d".repeat(20));
            assertThat(ConfigLoader.parse(written, env)).isEqualTo(ConfigLoader.parse(yaml, env));
        }
        String written = ConfigEdits.yaml(ConfigEdits.tree(CONFIG));
        assertThat(written).contains("${USERS_HOST}", "${KEY}").doesNotContain("k".repeat(20));
    }

    @Test
    void putReplacesARouteInPlaceOrAddsItLast() {
        ObjectNode tree = ConfigEdits.tree(CONFIG);
        ObjectNode route = route("users", "/people");

        assertThat(ConfigEdits.putRoute(tree, "users", route)).isFalse();
        assertThat(ConfigEdits.putRoute(tree, "orders", route("orders", "/orders"))).isTrue();

        GatewayConfig config = ConfigLoader.parse(ConfigEdits.yaml(tree), ENV);
        assertThat(config.routes()).extracting(r -> r.id()).containsExactly("users", "inventory", "orders");
        assertThat(config.routes().get(0).match().pathPrefix()).isEqualTo("/people");
        assertThat(ConfigEdits.route(tree, "orders")).isEqualTo(route("orders", "/orders"));
        assertThat(ConfigEdits.route(tree, "nope")).isNull();
    }

    @Test
    void removingARouteOrAPool() {
        ObjectNode tree = ConfigEdits.tree(CONFIG);
        assertThat(ConfigEdits.removeRoute(tree, "inventory")).isTrue();
        assertThat(ConfigEdits.removeRoute(tree, "inventory")).isFalse();
        assertThat(ConfigEdits.routes(tree)).hasSize(1);
        assertThat(ConfigEdits.removePool(tree, "users")).isTrue();
        assertThat(ConfigEdits.removePool(tree, "users")).isFalse();
        assertThat(ConfigEdits.pool(tree, "users")).isNull();
    }

    @Test
    void putPoolAddsThePoolsMapWhenThereIsNone() {
        ObjectNode tree = ConfigEdits.tree("routes: [{id: a, match: {path_prefix: /}, upstream: \"http://127.0.0.1:1\"}]");
        ObjectNode pool = JsonNodeFactory.instance.objectNode();
        pool.putArray("backends").add("http://127.0.0.1:9001");

        assertThat(ConfigEdits.putPool(tree, "users", pool)).isTrue();
        assertThat(ConfigEdits.putPool(tree, "users", pool)).isFalse();

        JsonNode written = ConfigEdits.tree(ConfigEdits.yaml(tree));
        assertThat(written.at("/pools/users/backends/0").asText()).isEqualTo("http://127.0.0.1:9001");
    }

    private static ObjectNode route(String id, String prefix) {
        ObjectNode route = JsonNodeFactory.instance.objectNode().put("id", id);
        route.putObject("match").put("path_prefix", prefix);
        return route.put("pool", "users");
    }
}
