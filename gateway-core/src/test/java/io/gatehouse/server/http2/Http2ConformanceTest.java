package io.gatehouse.server.http2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.testing.H2FrameClient;
import io.gatehouse.testing.H2FrameClient.Data;
import io.gatehouse.testing.H2FrameClient.Headers;
import io.gatehouse.testing.TestGateway;
import io.netty.handler.codec.http2.Http2Settings;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP/1.1 conformance checks that apply to HTTP/2, repeated over h2c with OkHttp (and the frame-level client
 * where a test must control flow control): the security chain's 401 and 429 as JSON errors, 404
 * {@code route_not_found}, request IDs both ways, a retry past a dead backend, a large body streamed both ways, and a
 * slow reader on one stream while a sibling on the same connection completes.
 */
class Http2ConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "0123456789abcdef-h2-key";
    private static final int BIG = 3 * 1024 * 1024;
    private static final OkHttpClient CLIENT = new OkHttpClient.Builder()
            .protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)).callTimeout(Duration.ofSeconds(20)).build();

    private MockWebServer backend;
    private TestGateway gateway;

    @BeforeEach
    void setUp() throws IOException {
        backend = new MockWebServer();
        backend.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String body = request.getTarget().endsWith("/big") ? "x".repeat(BIG) : "ok " + request.getBodySize();
                return new MockResponse.Builder().code(200).body(body).build();
            }
        });
        backend.start(0);
        int dead;
        try (ServerSocket socket = new ServerSocket(0)) {
            dead = socket.getLocalPort(); // nothing listens there once it is closed
        }
        gateway = TestGateway.start("""
                auth:
                  default: []
                  api_keys:
                    keys: [{id: team, key: "%s"}]
                rate_limit:
                  backend: local
                  policies:
                    - {id: tight, key: client_ip, limit: 2, period: 1m}
                pools:
                  flaky: {backends: ["http://127.0.0.1:%d", "http://127.0.0.1:%d"]}
                routes:
                  - {id: keyed, match: {path_prefix: /keyed}, upstream: "http://127.0.0.1:%d", auth: [api_key]}
                  - {id: limited, match: {path_prefix: /limited}, upstream: "http://127.0.0.1:%d", rate_limit: [tight]}
                  - {id: retried, match: {path_prefix: /retried}, pool: flaky, retry: {attempts: 2}}
                  - {id: open, match: {path_prefix: /open}, upstream: "http://127.0.0.1:%d"}
                """.formatted(KEY, dead, backend.getPort(), backend.getPort(), backend.getPort(),
                backend.getPort()));
    }

    @AfterEach
    void tearDown() {
        gateway.close();
        backend.close();
    }

    private Response call(Request.Builder request) throws IOException {
        Response response = CLIENT.newCall(request.build()).execute();
        assertThat(response.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
        return response;
    }

    private Request.Builder request(String path) {
        return new Request.Builder().url("http://127.0.0.1:" + gateway.port() + path);
    }

    private static JsonNode json(Response response) throws IOException {
        return JSON.readTree(response.body().string());
    }

    @Test
    void aMissingApiKeyIs401Json() throws Exception {
        try (Response refused = call(request("/keyed/a"))) {
            assertThat(refused.code()).isEqualTo(401);
            assertThat(refused.header("Content-Type")).startsWith("application/json");
            JsonNode error = json(refused);
            assertThat(error.get("error").asText()).isNotBlank();
            assertThat(error.get("request_id").asText()).isEqualTo(refused.header("X-Request-ID"));
        }
        try (Response admitted = call(request("/keyed/a").header("X-API-Key", KEY))) {
            assertThat(admitted.code()).isEqualTo(200);
        }
        assertThat(backend.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aRefusedUploadIsAnsweredAndItsStreamEndedWithoutReadingTheBody() throws Exception {
        RequestBody upload = RequestBody.create(new byte[BIG], MediaType.get("application/octet-stream"));
        try (Response refused = call(request("/keyed/upload").post(upload))) {
            assertThat(refused.code()).isEqualTo(401);
            assertThat(json(refused).get("error").asText()).isNotBlank();
        }
        try (Response next = call(request("/open/after"))) { // the connection carries on
            assertThat(next.code()).isEqualTo(200);
        }
    }

    @Test
    void overTheRateLimitIs429WithItsHeaders() throws Exception {
        for (int i = 0; i < 2; i++) {
            try (Response ok = call(request("/limited"))) {
                assertThat(ok.code()).isEqualTo(200);
            }
        }
        try (Response limited = call(request("/limited"))) {
            assertThat(limited.code()).isEqualTo(429);
            assertThat(limited.header("Retry-After")).isNotNull();
            assertThat(json(limited).get("error").asText()).isEqualTo("rate_limited");
        }
    }

    @Test
    void noRouteIs404RouteNotFound() throws Exception {
        try (Response missing = call(request("/nowhere"))) {
            assertThat(missing.code()).isEqualTo(404);
            assertThat(json(missing).get("error").asText()).isEqualTo("route_not_found");
        }
    }

    @Test
    void requestIdsAreKeptOrMadeAndReachTheBackend() throws Exception {
        try (Response kept = call(request("/open/id").header("X-Request-ID", "client-chosen-id"))) {
            assertThat(kept.header("X-Request-ID")).isEqualTo("client-chosen-id");
        }
        assertThat(backend.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("X-Request-ID"))
                .isEqualTo("client-chosen-id");
        try (Response made = call(request("/open/id"))) {
            assertThat(made.header("X-Request-ID")).matches("[0-9a-f]{32}");
            assertThat(gateway.accessLogLine(made.header("X-Request-ID")).get("protocol").asText())
                    .isEqualTo("HTTP/2");
        }
    }

    @Test
    void aDeadBackendIsRetriedOnTheOtherOne() throws Exception {
        for (int i = 0; i < 4; i++) {
            try (Response response = call(request("/retried/" + i))) {
                assertThat(response.code()).isEqualTo(200);
            }
        }
        assertThat(gateway.metric("gatehouse_retries_total", "route=\"retried\"")).isPositive();
    }

    @Test
    void aLargeBodyStreamsBothWays() throws Exception {
        RequestBody upload = RequestBody.create(new byte[BIG], MediaType.get("application/octet-stream"));
        try (Response response = call(request("/open/big").post(upload))) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body().bytes()).hasSize(BIG);
        }
        assertThat(backend.takeRequest(5, TimeUnit.SECONDS).getBodySize()).isEqualTo(BIG);
    }

    @Test
    void aSlowReaderOnOneStreamDoesNotStallItsSibling() {
        Http2Settings smallWindow = new Http2Settings().initialWindowSize(16 * 1024);
        try (H2FrameClient client = H2FrameClient.connect(gateway.port(), smallWindow, 64 * 1024 * 1024)) {
            client.headers(1, H2FrameClient.get("/open/big"), true);
            await().atMost(Duration.ofSeconds(10)).until(() -> client.bodyBytes(1) == 16 * 1024);

            client.headers(3, H2FrameClient.get("/open/small"), true); // same connection, while stream 1 waits

            assertThat(client.await(Headers.class, h -> h.streamId() == 3).headers().status().toString())
                    .isEqualTo("200");
            assertThat(client.await(Data.class, d -> d.streamId() == 3 && d.endStream()).text()).isEqualTo("ok 0");
            assertThat(client.bodyBytes(1)).isEqualTo(16 * 1024);
            client.windowUpdate(1, BIG); // the reader catches up: the rest arrives
            assertThat(client.await(Data.class, d -> d.streamId() == 1 && d.endStream())).isNotNull();
            assertThat(client.bodyBytes(1)).isEqualTo(BIG);
        }
    }
}
