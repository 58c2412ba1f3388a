package io.gatehouse.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.server.GatehouseProcesses.Child;
import io.gatehouse.testing.NamedBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.gatehouse.server.GatehouseProcesses.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The admin API of the packaged {@code gatehouse.jar}: a route added with persist survives a restart. */
class AdminApiIT {
    private static final String TOKEN = "it-admin-token-0123456789abcdef";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private GatehouseProcesses gatehouse;
    private NamedBackend users;
    private NamedBackend orders;

    @BeforeAll
    static void jarIsBuilt() {
        GatehouseProcesses.assertJarIsBuilt();
    }

    @BeforeEach
    void setUp() throws IOException {
        gatehouse = new GatehouseProcesses(dir);
        users = new NamedBackend("users");
        orders = new NamedBackend("orders");
    }

    @AfterEach
    void cleanUp() throws Exception {
        gatehouse.close();
        users.close();
        orders.close();
    }

    @Test
    void aRouteAddedWithPersistIsServedAndSurvivesARestart() throws Exception {
        int port = freePort();
        int adminPort = freePort();
        Path config = Files.writeString(dir.resolve("gatehouse.yml"), """
                admin:
                  address: 127.0.0.1:%d
                  token: ${GATEHOUSE_ADMIN_TOKEN}
                routes:
                  - {id: users, match: {path_prefix: /users}, upstream: "%s"}
                """.formatted(adminPort, users.url()));
        Map<String, String> env = Map.of("GATEWAY_PORT", String.valueOf(port), "GATEHOUSE_ADMIN_TOKEN", TOKEN);
        Child first = gatehouse.run(env, "--config", config.toString());
        awaitAdmin(adminPort, first);

        assertThat(send(adminPort, "GET", "/admin/version", null, null).statusCode()).isEqualTo(401);
        JsonNode version = JSON.readTree(send(adminPort, "GET", "/admin/version", TOKEN, null).body());
        assertThat(version.get("version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");

        HttpResponse<String> put = send(adminPort, "PUT", "/admin/routes/orders?persist=true", TOKEN,
                "{\"match\": {\"path_prefix\": \"/orders\"}, \"upstream\": \"" + orders.url() + "\"}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        assertThat(JSON.readTree(put.body()).get("persisted").asBoolean()).isTrue();
        assertThat(get(port, "/orders/1").body()).isEqualTo("orders");
        assertThat(Files.readString(config)).contains("/orders", "${GATEHOUSE_ADMIN_TOKEN}").doesNotContain(TOKEN);

        first.process().destroy();
        first.awaitExit(Duration.ofSeconds(15));
        Child second = gatehouse.run(env, "--config", config.toString());
        awaitAdmin(adminPort, second);

        assertThat(get(port, "/orders/1").body()).isEqualTo("orders");
        assertThat(get(port, "/users/1").body()).isEqualTo("users");
    }

    private static void awaitAdmin(int adminPort, Child child) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(child.process().isAlive()).as("running; stderr:%n%s", child.err()).isTrue();
            assertThat(send(adminPort, "GET", "/admin/version", TOKEN, null).statusCode()).isEqualTo(200);
        });
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(int adminPort, String method, String path, String token, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
