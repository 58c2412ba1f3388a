package io.gatehouse.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.server.GatewayServer;
import io.gatehouse.server.StartOptions;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * A real gateway started in-process on a free port from a YAML snippet. Its access log writes to stdout as usual
 * and also keeps each line, so that tests can read them back ({@link #accessLogLine}).
 */
public final class TestGateway implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Read timeout of {@link #connect()}: long enough for any answer, short enough for a test that waits for none. */
    public static final int RAW_READ_TIMEOUT_MS = 2_000;
    private final AccessLogLines accessLog = new AccessLogLines();
    private final GatewayServer server;

    private TestGateway(GatewayConfig config, StartOptions options) throws InterruptedException {
        this.server = GatewayServer.start(config, options.accessLogOut(accessLog));
    }

    /** Starts the gateway; {@code yaml} need not set a port (port 0 is forced). */
    public static TestGateway start(String yaml) {
        return start(yaml, 2);
    }

    /**
     * Starts the gateway with this many event loops; with one, every connection shares one connection pool per
     * backend, so a test can hold a pool's {@code max_connections} (split across loops) from one client.
     */
    public static TestGateway start(String yaml, int eventLoops) {
        return start(yaml, StartOptions.defaults().threads(eventLoops));
    }

    /** Starts the gateway with these options (two event loops unless they say otherwise); its access log is kept. */
    public static TestGateway start(String yaml, StartOptions options) {
        try {
            return new TestGateway(parse(yaml), options);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Parses {@code yaml} as {@link #start} does, port 0 forced. */
    public static GatewayConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, Map.of("GATEWAY_PORT", "0"));
    }

    /** Installs {@code yaml} as the configuration in force, as a reload does. */
    public void install(String yaml) {
        server.install(parse(yaml));
    }

    public int port() {
        return server.port();
    }

    /** The HTTPS listener's port ({@code server.tls}), or -1 without one. */
    public int tlsPort() {
        return server.tlsPort();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    public GatewayServer server() {
        return server;
    }

    /** A GET through the gateway with a 5 s timeout. */
    public HttpRequest request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(5)).build();
    }

    /** Sends {@code GET pathAndQuery} through the gateway and returns the whole response. */
    public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return CLIENT.send(request(pathAndQuery), HttpResponse.BodyHandlers.ofString());
    }

    /** A raw connection to the gateway whose reads give up after {@link #RAW_READ_TIMEOUT_MS}. */
    public RawHttp connect() throws IOException {
        RawHttp raw = new RawHttp(port());
        raw.socket().setSoTimeout(RAW_READ_TIMEOUT_MS);
        return raw;
    }

    /** Sends a raw {@code request} on a new connection and returns the first response. */
    public Reply exchange(String request) throws IOException {
        try (RawHttp raw = connect()) {
            return Reply.parse(raw.send(request).readResponse());
        }
    }

    /** Every access-log line written so far (the log writes in the background), in the order requests finished. */
    public List<String> accessLog() {
        return accessLog.lines();
    }

    /** The access-log line of the request with {@code requestId}, waiting up to 5 s for the request to finish. */
    public JsonNode accessLogLine(String requestId) {
        String field = "\"request_id\":\"" + requestId + '"';
        String line = await().atMost(Duration.ofSeconds(5)).until(
                () -> accessLog.lines().stream().filter(l -> l.contains(field)).findFirst().orElse(null),
                found -> found != null);
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new AssertionError("access-log line is not JSON: " + line, e);
        }
    }

    /** {@code gatehouse_backend_healthy} of one loopback backend: 1 in balancing, 0 taken out. */
    public double backendHealthy(String pool, int port) {
        return metric("gatehouse_backend_healthy", "pool=\"" + pool + "\"", "backend=\"127.0.0.1:" + port + "\"");
    }

    /** The value of one Prometheus sample line such as {@code gatehouse_backend_healthy{...}}, or NaN. */
    public double metric(String name, String... labels) {
        return PrometheusText.value(server.metrics().scrape(), name, labels);
    }

    @Override
    public void close() {
        server.shutdown(Duration.ofMillis(200));
    }
}
