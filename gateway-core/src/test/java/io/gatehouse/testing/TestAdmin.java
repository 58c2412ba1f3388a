package io.gatehouse.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.reload.ConfigSource;
import io.gatehouse.reload.FileConfigSource;
import io.gatehouse.server.Gatehouse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Gatehouse} started from a config file (so with a reloader on that file and its admin API listening) on a
 * {@link TestGateway}, and a client for the API that sends the token. The YAML must have an {@code admin:} section; its port is best 0.
 */
public final class TestAdmin implements AutoCloseable {
    /** A token to put in test configs: {@code admin: {address: "127.0.0.1:0", token: ...}}. */
    public static final String TOKEN = "test-admin-token-0123456789abcdef";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestGateway gateway;
    private final Path file;
    private final Gatehouse gatehouse;

    private TestAdmin(TestGateway gateway, Path file, Gatehouse gatehouse) {
        this.gateway = gateway;
        this.file = file;
        this.gatehouse = gatehouse;
    }

    /** Starts from {@code yaml}, written to a new file in {@code dir}. */
    public static TestAdmin start(Path dir, String yaml) throws IOException {
        Path file = dir.resolve("gatehouse.yml");
        Files.writeString(file, yaml);
        return start(file);
    }

    /**
     * Starts a {@link Gatehouse} from {@code file}, the source that reloads read and {@code ?persist=true} writes,
     * with a {@link TestGateway} as its server. The file is not watched: a test's edit takes effect when the test
     * asks for a reload, not whenever the watch sees it.
     */
    public static TestAdmin start(Path file) throws IOException {
        String yaml = Files.readString(file);
        AtomicReference<TestGateway> gateway = new AtomicReference<>();
        try {
            Gatehouse gatehouse = Gatehouse.start(new UnwatchedFile(file), Map.of("GATEWAY_PORT", "0"), config -> {
                gateway.set(TestGateway.start(yaml));
                return gateway.get().server();
            });
            return new TestAdmin(gateway.get(), file, gatehouse);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
        return gatehouse.admin().port();
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
        gatehouse.shutdown(Duration.ofMillis(200));
    }

    /** The file, read and written as a {@link FileConfigSource} does, never watched. */
    private static final class UnwatchedFile implements ConfigSource {
        private final FileConfigSource file;

        UnwatchedFile(Path path) {
            this.file = new FileConfigSource(path);
        }

        @Override
        public String location() {
            return file.location();
        }

        @Override
        public String read() {
            return file.read();
        }

        @Override
        public void watch(Runnable changed) {
            // changes reach the gateway only through the admin API in these tests
        }

        @Override
        public void write(String yaml) {
            file.write(yaml);
        }

        @Override
        public void close() {
            file.close();
        }
    }
}
