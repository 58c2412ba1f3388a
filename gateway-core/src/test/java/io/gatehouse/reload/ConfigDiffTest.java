package io.gatehouse.reload;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.reload.ConfigDiff.Changes;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigDiffTest {
    private static final String BASE = """
            rate_limit:
              policies:
                - {id: per-ip, key: client_ip, limit: 10, period: 1s}
                - {id: global, key: global, limit: 1000, period: 1s}
            quotas:
              - {id: daily, key: consumer, limit: 10000, period: 1d}
            pools:
              users:
                backends: [http://127.0.0.1:9001, http://127.0.0.1:9002]
              orders:
                backends: [http://127.0.0.1:9101]
            routes:
              - id: users
                match: {path_prefix: /users}
                pool: users
              - id: orders
                match: {path_prefix: /orders}
                pool: orders
            """;

    private static GatewayConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, Map.of());
    }

    private static ConfigDiff diff(String after) {
        return ConfigDiff.between(parse(BASE), parse(after));
    }

    @Test
    void theSameConfigHasNoChanges() {
        ConfigDiff diff = diff(BASE);

        assertThat(diff.isEmpty()).isTrue();
        assertThat(diff.summary()).isEqualTo("no changes");
    }

    @Test
    void routesAddedRemovedAndChangedById() {
        ConfigDiff diff = diff(BASE
                .replace("match: {path_prefix: /users}", "match: {path_prefix: /v2/users}")
                .replace("  - id: orders\n    match: {path_prefix: /orders}\n    pool: orders\n",
                        "  - id: carts\n    match: {path_prefix: /carts}\n    pool: orders\n"));

        assertThat(diff.routes()).isEqualTo(new Changes(List.of("carts"), List.of("orders"), List.of("users")));
        assertThat(diff.pools().isEmpty()).isTrue();
        assertThat(diff.summary()).isEqualTo("routes: +carts -orders ~users");
    }

    @Test
    void backendsChangePerPoolWithoutChangingThePool() {
        ConfigDiff diff = diff(BASE.replace("[http://127.0.0.1:9001, http://127.0.0.1:9002]",
                "[http://127.0.0.1:9002, {url: \"http://127.0.0.1:9003\"}]"));

        assertThat(diff.pools().isEmpty()).as("only the pool's members changed").isTrue();
        assertThat(diff.backends()).containsOnlyKeys("users");
        assertThat(diff.backends().get("users"))
                .isEqualTo(new Changes(List.of("127.0.0.1:9003"), List.of("127.0.0.1:9001"), List.of()));
        assertThat(diff.summary()).isEqualTo("backends[users]: +127.0.0.1:9003 -127.0.0.1:9001");
    }

    @Test
    void aBackendsWeightIsAChangeOfThatBackend() {
        ConfigDiff diff = diff(BASE.replace("[http://127.0.0.1:9101]", "[{url: \"http://127.0.0.1:9101\", weight: 5}]"));

        assertThat(diff.backends().get("orders")).isEqualTo(new Changes(List.of(), List.of(), List.of("127.0.0.1:9101")));
    }

    @Test
    void poolsAddedRemovedAndChanged() {
        ConfigDiff diff = diff(BASE
                .replace("    backends: [http://127.0.0.1:9101]\n",
                        "    backends: [http://127.0.0.1:9101]\n    strategy: least_connections\n")
                .replace("routes:\n", "  carts:\n    backends: [http://127.0.0.1:9201]\nroutes:\n"));

        assertThat(diff.pools()).isEqualTo(new Changes(List.of("carts"), List.of(), List.of("orders")));
    }

    @Test
    void policiesQuotasAndSettings() {
        ConfigDiff diff = diff(BASE
                .replace("{id: global, key: global, limit: 1000, period: 1s}", "{id: global, key: global, limit: 500, period: 1s}")
                .replace("- {id: daily, key: consumer, limit: 10000, period: 1d}", "[]")
                .replace("quotas:\n  []", "quotas: []")
                + "cors: {allowed_origins: [\"https://app.example.com\"]}\nip_rules: {deny: [10.0.0.0/8]}\n"
                + "server: {timeouts: {idle: 5s}}\n");

        assertThat(diff.rateLimitPolicies()).isEqualTo(new Changes(List.of(), List.of(), List.of("global")));
        assertThat(diff.quotas()).isEqualTo(new Changes(List.of(), List.of("daily"), List.of()));
        assertThat(diff.settings()).isEqualTo(new Changes(List.of("cors", "ip_rules"), List.of(),
                List.of("server.timeouts")));
    }

    @Test
    void theAdminSectionIsASetting() {
        String admin = "admin: {address: 127.0.0.1:9901, token: \"%s\"}\n";

        ConfigDiff added = diff(BASE + admin.formatted("a-token-of-16-chars-or-more"));
        ConfigDiff changed = ConfigDiff.between(parse(BASE + admin.formatted("a-token-of-16-chars-or-more")),
                parse(BASE + admin.formatted("another-token-of-16-chars")));

        assertThat(added.settings().added()).containsExactly("admin");
        assertThat(changed.settings().changed()).containsExactly("admin");
        assertThat(changed.summary()).isEqualTo("settings: ~admin").doesNotContain("token");
    }

    @Test
    void theTracingSectionIsASetting() {
        ConfigDiff diff = diff(BASE + "tracing: {enabled: true}\n");

        assertThat(diff.settings().changed()).containsExactly("tracing");
        assertThat(diff.summary()).isEqualTo("settings: ~tracing");
    }

    @Test
    void reorderedRoutesAreAChangeOfOrder() {
        String users = "  - id: users\n    match: {path_prefix: /users}\n    pool: users\n";
        ConfigDiff diff = diff(BASE.replace(users, "") + users);

        assertThat(diff.routes().isEmpty()).isTrue();
        assertThat(diff.settings().changed()).containsExactly("routes.order");
    }

    @Test
    void rendersToJsonWithEverySection() {
        JsonNode json = diff(BASE.replace("match: {path_prefix: /users}", "match: {path_prefix: /v2/users}")).toJson();

        assertThat(json.get("routes").get("changed")).hasSize(1);
        assertThat(json.get("routes").get("changed").get(0).asText()).isEqualTo("users");
        assertThat(json.get("routes").get("added")).isEmpty();
        assertThat(json.fieldNames()).toIterable()
                .containsExactly("routes", "pools", "backends", "rate_limit_policies", "quotas", "settings");
    }

    @Test
    void theSummaryNamesTenAndCountsTheRest() {
        StringBuilder routes = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            routes.append("  - {id: extra").append(i).append(", match: {path: /e").append(i).append("}, pool: users}\n");
        }

        String summary = diff(BASE + routes).summary();

        assertThat(summary).startsWith("routes: +extra0 +extra1").endsWith(" +extra9 (and 15 more)");
    }
}
