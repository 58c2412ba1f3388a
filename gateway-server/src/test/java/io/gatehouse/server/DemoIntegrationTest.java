package io.gatehouse.server;

import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.samples.SampleServer;
import io.gatehouse.samples.ServiceKind;
import io.gatehouse.testing.PrometheusText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The user-visible demo of {@code ./demo.sh}, in-process: the repository's real {@code config.yml} in front of
 * two user-service instances and the inventory service, all on ephemeral ports.
 */
class DemoIntegrationTest {
    private static final String SERVED_BY = "X-Served-By";

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private SampleServer users1;
    private SampleServer users2;
    private SampleServer inventory;
    private GatewayServer gateway;

    @BeforeEach
    void startDemo() throws Exception {
        users1 = service(ServiceKind.USERS, "users-1");
        users2 = service(ServiceKind.USERS, "users-2");
        inventory = service(ServiceKind.INVENTORY, "inventory-1");
        GatewayConfig config = ConfigLoader.parse(Files.readString(ValidateCommandTest.DEMO_CONFIG), Map.of(
                "USERS_1_PORT", String.valueOf(users1.port()),
                "USERS_2_PORT", String.valueOf(users2.port()),
                "INVENTORY_PORT", String.valueOf(inventory.port()),
                "GATEWAY_PORT", "0"));
        gateway = GatewayServer.start(config, 2);
        resources.add(() -> gateway.shutdown(Duration.ofMillis(200)));
    }

    private SampleServer service(ServiceKind kind, String name) throws IOException {
        SampleServer server = SampleServer.start(kind, name, 0);
        resources.add(server);
        return server;
    }

    @AfterEach
    void stopDemo() throws Exception {
        // Gateway first, then the services: the reverse of the start order.
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }

    private static String servedBy(HttpResponse<?> response) {
        return response.headers().firstValue(SERVED_BY).orElse("(none)");
    }

    private double metric(String name, String... labels) throws IOException, InterruptedException {
        HttpResponse<String> scrape = get("/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        return PrometheusText.value(scrape.body(), name, labels);
    }

    @Test
    void usersAlternateBetweenTheTwoInstances() throws Exception {
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = get("/users");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("Ada Lovelace");
            servers.add(servedBy(response));
        }

        assertThat(servers).containsOnly("users-1", "users-2");
        assertThat(servers).filteredOn("users-1"::equals).hasSize(2);
        for (int i = 1; i < servers.size(); i++) {
            assertThat(servers.get(i)).as("round robin, request %d of %s", i, servers).isNotEqualTo(servers.get(i - 1));
        }
    }

    @Test
    void postCreatesAUserOnTheInstanceThatServedIt() throws Exception {
        HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/users"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"Barbara Liskov\",\"email\":\"barbara@example.com\"}")));

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(created.body()).contains("\"name\":\"Barbara Liskov\"", "\"email\":\"barbara@example.com\"");
        String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches("/users/\\d+");
        assertThat(created.body()).contains("\"id\":" + location.substring("/users/".length()));
        String creator = servedBy(created);
        assertThat(creator).isIn("users-1", "users-2");

        // Each instance has its own in-memory data, and two consecutive GETs reach both instances.
        List<String> readers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> fetched = get(location);
            readers.add(servedBy(fetched));
            if (servedBy(fetched).equals(creator)) {
                assertThat(fetched.statusCode()).isEqualTo(200);
                assertThat(fetched.body()).contains("\"name\":\"Barbara Liskov\"");
            } else {
                assertThat(fetched.statusCode()).isEqualTo(404);
            }
        }
        assertThat(readers).containsExactlyInAnyOrder("users-1", "users-2");
    }

    @Test
    void inventoryIsServedByItsSingleUpstream() throws Exception {
        HttpResponse<String> response = get("/inventory/1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(servedBy(response)).isEqualTo("inventory-1");
        assertThat(response.body()).contains("\"id\":1");
    }

    @Test
    void inventoryChangesNeedTheDemoKey() throws Exception {
        String product = "{\"sku\":\"GH-1\",\"name\":\"Gate\",\"quantity\":3,\"price\":9.5}";
        HttpRequest.Builder post = HttpRequest.newBuilder(uri("/inventory"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(product));

        HttpResponse<String> anonymous = send(post);
        HttpResponse<String> wrongKey = send(post.copy().header("X-API-Key", "not-the-demo-key-0000"));
        HttpResponse<String> withKey = send(post.copy().header("X-API-Key", "demo-key-change-me-0123456789"));

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("\"error\":\"unauthorized\"", "missing API key");
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        assertThat(withKey.statusCode()).as(withKey.body()).isEqualTo(201);
        assertThat(servedBy(withKey)).isEqualTo("inventory-1");
        assertThat(metric("gatehouse_consumer_requests_total", "consumer=\"demo-team\"")).isEqualTo(1.0);
    }

    @Test
    void stoppingOneUserInstanceIsInvisibleToClients() throws Exception {
        for (int i = 0; i < 4; i++) {
            assertThat(get("/users").statusCode()).isEqualTo(200); // warm both instances' pooled connections
        }
        String users2Backend = "backend=\"127.0.0.1:" + users2.port() + "\"";
        assertThat(metric("gatehouse_backend_healthy", users2Backend, "pool=\"users\"")).isEqualTo(1.0);

        users2.stop();

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = get("/users");
            answers.add(response.statusCode() + " " + servedBy(response));
            Thread.sleep(100);
        }
        assertThat(answers).as("every request after users-2 stopped").containsOnly("200 users-1");

        await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(metric("gatehouse_backend_healthy", users2Backend, "pool=\"users\"")).isZero());
        assertThat(metric("gatehouse_backend_healthy", "backend=\"127.0.0.1:" + users1.port() + "\"",
                "pool=\"users\"")).isEqualTo(1.0);
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(metric("gatehouse_requests_total",
                "route=\"users\"", "method=\"GET\"", "status_class=\"2xx\"")).isEqualTo(24.0));
    }
}
