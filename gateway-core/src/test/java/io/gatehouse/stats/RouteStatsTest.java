package io.gatehouse.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.testing.NamedBackend;
import io.gatehouse.testing.TestGateway;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The route series of a real gateway, sampled by hand (no thread, no sleeping): what requests, 5xx answers and
 * reloads do to them, read as the admin API serves them.
 */
class RouteStatsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void countsEachSecondsRequestsAndServerErrorsPerRoute() throws Exception {
        try (NamedBackend backend = new NamedBackend("users");
             TestGateway gateway = TestGateway.start(config(backend, "users", "broken"))) {
            RouteStats stats = new RouteStats(gateway.server()::snapshot, clock);
            stats.sample();
            for (int i = 0; i < 5; i++) {
                assertThat(gateway.get("/users").statusCode()).isEqualTo(200);
            }
            for (int i = 0; i < 3; i++) {
                assertThat(gateway.get("/broken").statusCode()).isEqualTo(502);
            }
            awaitCounted(gateway, "users", 5);
            awaitCounted(gateway, "broken", 3);
            stats.sample();

            JsonNode all = json(stats.toJson(null));
            assertThat(all.get("enabled").asBoolean()).isTrue();
            assertThat(all.get("capacity").asInt()).isEqualTo(900);
            assertThat(all.get("from").asLong()).isZero();
            assertThat(all.get("to").asLong()).isEqualTo(2);
            assertThat(all.get("time").asText()).isEqualTo("2026-12-02T12:00:00Z");
            assertThat(ids(all)).containsExactly("users", "broken");
            assertThat(ints(route(all, "users").get("requests"))).containsExactly(0, 5);
            assertThat(ints(route(all, "users").get("errors"))).containsExactly(0, 0);
            assertThat(route(all, "users").get("p99_ms").get(1).asDouble()).isPositive();
            assertThat(ints(route(all, "broken").get("requests"))).containsExactly(0, 3);
            assertThat(ints(route(all, "broken").get("errors"))).containsExactly(0, 3);

            stats.sample();
            JsonNode newer = json(stats.toJson(2L));
            assertThat(newer.get("from").asLong()).isEqualTo(2);
            assertThat(ints(route(newer, "users").get("requests"))).containsExactly(0);
            assertThat(json(stats.toJson(99L)).get("from").asLong()).as("not held: everything").isZero();
        }
    }

    @Test
    void followsReloadsAddedRoutesAppearRemovedOnesGoKeptOnesKeepTheirSamples() throws Exception {
        try (NamedBackend backend = new NamedBackend("users");
             TestGateway gateway = TestGateway.start(config(backend, "users", "broken"))) {
            RouteStats stats = new RouteStats(gateway.server()::snapshot, clock);
            stats.sample();
            gateway.get("/users");
            awaitCounted(gateway, "users", 1);
            stats.sample();

            gateway.install(config(backend, "users", "orders"));
            gateway.get("/orders");
            awaitCounted(gateway, "orders", 1);
            stats.sample();

            JsonNode all = json(stats.toJson(null));
            assertThat(ids(all)).containsExactly("users", "orders");
            assertThat(ints(route(all, "users").get("requests"))).containsExactly(0, 1, 0);
            assertThat(route(all, "orders").get("requests")).as("counted from the first sample that saw it").isNull();
            gateway.get("/orders");
            awaitCounted(gateway, "orders", 2);
            stats.sample();
            assertThat(ints(route(json(stats.toJson(3L)), "orders").get("requests"))).containsExactly(1);
        }
    }

    @Test
    void withMetricsOffTheSeriesAreEmpty() throws Exception {
        try (NamedBackend backend = new NamedBackend("users");
             TestGateway gateway = TestGateway.start("metrics: {enabled: false}\n" + config(backend, "users"))) {
            RouteStats stats = new RouteStats(gateway.server()::snapshot, clock);
            gateway.get("/users");
            stats.sample();
            JsonNode all = json(stats.toJson(null));
            assertThat(all.get("enabled").asBoolean()).isFalse();
            assertThat(all.get("routes")).isEmpty();
        }
    }

    /** Routes named {@code ids}, each on {@code /<id>}; {@code broken} leads to a closed port (502). */
    private static String config(NamedBackend backend, String... ids) {
        StringBuilder yaml = new StringBuilder("""
                pools:
                  live: {backends: ["%s"]}
                  dead: {backends: ["http://127.0.0.1:9"]}
                routes:
                """.formatted(backend.url()));
        for (String id : ids) {
            yaml.append("  - {id: %s, match: {path_prefix: /%s}, pool: %s}\n"
                    .formatted(id, id, id.equals("broken") ? "dead" : "live"));
        }
        return yaml.toString();
    }

    private static JsonNode json(JsonNode body) throws Exception {
        return JSON.readTree(JSON.writeValueAsString(body)); // as the admin API writes it: arrays are POJOs
    }

    private static List<String> ids(JsonNode all) {
        List<String> ids = new ArrayList<>();
        all.get("routes").forEach(route -> ids.add(route.get("id").asText()));
        return ids;
    }

    private static JsonNode route(JsonNode all, String id) {
        for (JsonNode route : all.get("routes")) {
            if (route.get("id").asText().equals(id)) {
                return route;
            }
        }
        throw new AssertionError("no route " + id + " in " + all);
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asInt()));
        return values;
    }

    /** A request is counted just after its answer went out: a sample taken at once might miss it. */
    private static void awaitCounted(TestGateway gateway, String route, long requests) {
        await().atMost(Duration.ofSeconds(5)).until(() ->
                gateway.server().snapshot().routes().get(route).target().meters().requestCount() == requests);
    }
}
