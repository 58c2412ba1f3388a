package io.gatehouse.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.admin.AdminServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A {@link TestGateway} with its admin API listening, and a client for it that sends the token. The YAML must
 * have an {@code admin:} section; its port is best 0.
 */
public final class TestAdmin implements AutoCloseable {
    /** A token to put in test configs: {@code admin: {address: "127.0.0.1:0", token: ...}}. */
    public static final String TOKEN = "test-admin-token-0123456789abcdef";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestGateway gateway;
    private final AdminServer admin;

    private TestAdmin(TestGateway gateway, AdminServer admin) {
        this.gateway = gateway;
        this.admin = admin;
    }

    public static TestAdmin start(String yaml) {
        TestGateway gateway = TestGateway.start(yaml);
        try {
            return new TestAdmin(gateway, AdminServer.start(gateway.server().current().admin(), gateway.server()));
        } catch (InterruptedException e) {
            gateway.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
    }

    public TestGateway gateway() {
        return gateway;
    }

    public int port() {
        return admin.port();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    /** A request to the admin API carrying {@link #TOKEN}. */
    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKEN);
    }

    public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return send(request(pathAndQuery).GET());
    }

    /** Sends {@code body} with {@code contentType}. */
    public HttpResponse<String> send(String method, String pathAndQuery, String contentType, String body)
            throws IOException, InterruptedException {
        return send(request(pathAndQuery).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body)));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The body of a response as JSON. */
    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    @Override
    public void close() {
        admin.close();
        gateway.close();
    }
}
