package io.gatehouse.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.admin.AdminServer;
import io.gatehouse.reload.ConfigReloader;
import io.gatehouse.reload.FileConfigSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A {@link TestGateway} started from a config file, with a reloader on that file and its admin API listening, and a
 * client for the API that sends the token. The YAML must have an {@code admin:} section; its port is best 0.
 */
public final class TestAdmin implements AutoCloseable {
    /** A token to put in test configs: {@code admin: {address: "127.0.0.1:0", token: ...}}. */
    public static final String TOKEN = "test-admin-token-0123456789abcdef";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestGateway gateway;
    private final Path file;
    private final FileConfigSource source;
    private final ConfigReloader reloader;
    private final AdminServer admin;

    private TestAdmin(TestGateway gateway, Path file, FileConfigSource source, ConfigReloader reloader,
                      AdminServer admin) {
        this.gateway = gateway;
        this.file = file;
        this.source = source;
        this.reloader = reloader;
        this.admin = admin;
    }

    /** Starts from {@code yaml}, written to a new file in {@code dir}. */
    public static TestAdmin start(Path dir, String yaml) throws IOException {
        Path file = dir.resolve("gatehouse.yml");
        Files.writeString(file, yaml);
        return start(file);
    }

    /** Starts from {@code file}, the source that reloads read and {@code ?persist=true} writes. */
    public static TestAdmin start(Path file) throws IOException {
        String yaml = Files.readString(file);
        TestGateway gateway = TestGateway.start(yaml);
        FileConfigSource source = new FileConfigSource(file);
        ConfigReloader reloader = new ConfigReloader(source, gateway.server(), yaml,
                Map.of("GATEWAY_PORT", "0"), gateway.server().metrics());
        try {
            return new TestAdmin(gateway, file, source, reloader,
                    AdminServer.start(gateway.server().current().admin(), gateway.server(), reloader));
        } catch (InterruptedException | RuntimeException e) {
            reloader.close();
            gateway.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            throw (RuntimeException) e;
        }
    }

    /** The config file. */
    public Path file() {
        return file;
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
        reloader.close();
        source.close();
        gateway.close();
    }
}
