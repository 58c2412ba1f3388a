package io.gatehouse.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.StartedMockWebServer;
import io.gatehouse.testing.TestGateway;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's side of a gRPC call, seen on the wire by a client that sends {@code application/grpc} (here over
 * HTTP/1.1, which shows every header): its refusals as gRPC statuses, {@code grpc-timeout} bounding the call and
 * forwarded as the time left, a trailers-only status retried on the other backend, and a backend's status relayed
 * untouched. GrpcProxyIntegrationTest runs real grpc-java peers over HTTP/2.
 */
class GrpcRefusalsIntegrationTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    /** A gRPC message frame: not compressed, 2 bytes, a protobuf field 1 = 1. */
    private static final byte[] MESSAGE = {0, 0, 0, 0, 2, 8, 1};
    private static final String KEY = "grpc-key-0123456789abcdef";

    @RegisterExtension
    final StartedMockWebServer shedding = new StartedMockWebServer();
    @RegisterExtension
    final StartedMockWebServer serving = new StartedMockWebServer();
    private TestGateway gateway;

    @BeforeEach
    void start() throws IOException {
        shedding.server().setDispatcher(answer(new MockResponse.Builder().code(200)
                .addHeader("content-type", "application/grpc").addHeader("grpc-status", "14")
                .addHeader("grpc-message", "shedding load").build()));
        serving.server().setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                MockResponse.Builder reply = new MockResponse.Builder().code(200)
                        .addHeader("content-type", "application/grpc").addHeader("grpc-status", "0")
                        .body("served");
                if (request.getTarget().startsWith("/slow.")) {
                    reply.headersDelay(3, TimeUnit.SECONDS);
                } else if (request.getTarget().startsWith("/missing.")) {
                    return new MockResponse.Builder().code(200).addHeader("content-type", "application/grpc")
                            .addHeader("grpc-status", "5").addHeader("grpc-message", "no such order %E2%9C%97")
                            .addHeader("grpc-status-details-bin", "CAUSBm5vIHN1Y2g").build();
                }
                return reply.build();
            }
        });
        gateway = TestGateway.start("""
                auth:
                  default: []
                  api_keys: {keys: [{id: team, key: "%s"}]}
                rate_limit:
                  backend: local
                  policies: [{id: once, key: global, limit: 1, period: 1h}]
                pools:
                  both:
                    backends: ["http://127.0.0.1:%d", "http://127.0.0.1:%d"]
                routes:
                  - {id: keyed, match: {path_prefix: /keyed.Svc/}, upstream: "http://127.0.0.1:%d", auth: [api_key]}
                  - {id: limited, match: {path_prefix: /limited.Svc/}, upstream: "http://127.0.0.1:%d",
                     rate_limit: [once]}
                  - {id: down, match: {path_prefix: /down.Svc/}, upstream: "http://127.0.0.1:%d"}
                  - {id: direct, match: {path_prefix: /}, upstream: "http://127.0.0.1:%d", grpc: true,
                     request_timeout: 2s}
                  - {id: retried, match: {path_prefix: /retried.Svc/}, pool: both, grpc: true,
                     retry: {grpc_status_codes: [unavailable]}}
                  - {id: relayed, match: {path_prefix: /relayed.Svc/}, upstream: "http://127.0.0.1:%d", grpc: true}
                """.formatted(KEY, shedding.server().getPort(), serving.server().getPort(),
                serving.server().getPort(), serving.server().getPort(), closedPort(), serving.server().getPort(),
                shedding.server().getPort()));
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void noRouteIsUnimplementedWithTheErrorCodeInTheMessage() throws Exception {
        gateway.install("""
                routes:
                  - {id: only, match: {path_prefix: /only.Svc/}, upstream: "http://127.0.0.1:%d"}
                """.formatted(serving.server().getPort()));

        HttpResponse<String> response = call("/orders.v1.Orders/Get");

        assertGrpcError(response, 12, "route_not_found: no route for /orders.v1.Orders/Get");
        JsonNode logged = gateway.accessLogLine(response.headers().firstValue("x-request-id").orElseThrow());
        assertThat(logged.get("status").asInt()).isEqualTo(200);
        assertThat(logged.get("grpc_status").asInt()).isEqualTo(12);
        HttpResponse<String> json = CLIENT.send(HttpRequest.newBuilder(gateway.uri("/orders.v1.Orders/Get")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json.statusCode()).as("a plain request still gets JSON").isEqualTo(404);
        assertThat(json.body()).contains("\"error\":\"route_not_found\"");
    }

    @Test
    void admissionRefusalsAreGrpcStatuses() throws Exception {
        assertGrpcError(call("/keyed.Svc/Get"), 16, "unauthorized: ");
        assertThat(call("/keyed.Svc/Get", "x-api-key", KEY).headers().firstValue("grpc-status")).hasValue("0");

        assertThat(call("/limited.Svc/Get").headers().firstValue("grpc-status")).hasValue("0");
        HttpResponse<String> limited = call("/limited.Svc/Get");
        assertGrpcError(limited, 8, "rate_limited: ");
        assertThat(limited.headers().firstValue("retry-after")).isPresent();
        assertThat(serving.server().getRequestCount()).isEqualTo(2);
    }

    @Test
    void aBackendThatIsDownIsUnavailable() throws Exception {
        assertGrpcError(call("/down.Svc/Get"), 14, "bad_gateway: ");
    }

    @Test
    void aMalformedGrpcTimeoutIsRefusedAsInternal() throws Exception {
        for (String timeout : new String[] {"5s", "123456789S", "-1S", "S"}) {
            assertGrpcError(call("/any.Svc/Get", "grpc-timeout", timeout), 13,
                    "invalid_grpc_timeout: grpc-timeout must be 1 to 8 digits followed by a unit");
        }
        assertThat(serving.server().getRequestCount()).isZero();
    }

    @Test
    void theCallsDeadlineBoundsItAsDeadlineExceeded() throws Exception {
        HttpResponse<String> response = call("/slow.Svc/Get", "grpc-timeout", "300m");

        assertGrpcError(response, 4, "gateway_timeout: ");
    }

    @Test
    void eachAttemptTellsTheBackendTheTimeLeft() throws Exception {
        call("/any.Svc/Get", "grpc-timeout", "1500m");
        call("/any.Svc/Get", "grpc-timeout", "1H"); // the route's request_timeout, 2s, is sooner
        call("/any.Svc/Get");

        RecordedRequest firstRequest = serving.server().takeRequest();
        assertThat(firstRequest.getHeaders().get("te")).as("gRPC's, though hop-by-hop").isEqualTo("trailers");
        long first = forwarded(firstRequest);
        assertThat(first).isPositive().isLessThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1500));
        long second = forwarded(serving.server().takeRequest());
        assertThat(second).isPositive().isLessThanOrEqualTo(TimeUnit.SECONDS.toNanos(2));
        assertThat(forwarded(serving.server().takeRequest())).as("the route's limit alone").isPositive()
                .isLessThanOrEqualTo(TimeUnit.SECONDS.toNanos(2));
    }

    @Test
    void aTrailersOnlyUnavailableIsRetriedOnTheOtherBackend() throws Exception {
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = call("/retried.Svc/Get");
            assertThat(response.headers().firstValue("grpc-status")).hasValue("0");
            assertThat(response.body()).isEqualTo("served");
        }
        int shed = shedding.server().getRequestCount();
        assertThat(shed).as("round robin sends first attempts to both").isPositive();
        assertThat(serving.server().getRequestCount()).isEqualTo(4);
        assertThat(serving.server().takeRequest().getBody().toByteArray()).as("the body replayed").isEqualTo(MESSAGE);
        assertThat(gateway.metric("gatehouse_retries_total", "route=\"retried\"", "reason=\"grpc_status\""))
                .isEqualTo(shed);
    }

    @Test
    void aBackendsStatusIsRelayedUntouchedWhenTheRouteDoesNotRetryIt() throws Exception {
        HttpResponse<String> shed = call("/relayed.Svc/Get");
        assertThat(shed.statusCode()).isEqualTo(200);
        assertThat(shed.headers().firstValue("grpc-status")).hasValue("14");
        assertThat(shed.headers().firstValue("grpc-message")).hasValue("shedding load");
        assertThat(shedding.server().getRequestCount()).isEqualTo(1);

        HttpResponse<String> missing = call("/missing.Svc/Get");
        assertThat(missing.headers().firstValue("grpc-status")).hasValue("5");
        assertThat(missing.headers().firstValue("grpc-message")).hasValue("no such order %E2%9C%97");
        assertThat(missing.headers().firstValue("grpc-status-details-bin")).hasValue("CAUSBm5vIHN1Y2g");
        JsonNode logged = gateway.accessLogLine(missing.headers().firstValue("x-request-id").orElseThrow());
        assertThat(logged.get("grpc_status").asInt()).as("a trailers-only answer's").isEqualTo(5);
        JsonNode served = gateway.accessLogLine(call("/any.Svc/Get").headers().firstValue("x-request-id").orElseThrow());
        assertThat(served.get("grpc_status").asInt()).isZero();
    }

    private HttpResponse<String> call(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(10))
                .header("content-type", "application/grpc")
                .POST(HttpRequest.BodyPublishers.ofByteArray(MESSAGE));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertGrpcError(HttpResponse<String> response, int status, String messageStart) {
        assertThat(response.statusCode()).as("%s", response.headers()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/grpc");
        assertThat(response.headers().firstValue("grpc-status")).hasValue(Integer.toString(status));
        assertThat(response.headers().firstValue("grpc-message").orElseThrow()).startsWith(messageStart);
        assertThat(response.body()).isEmpty();
    }

    private static long forwarded(RecordedRequest request) {
        String value = request.getHeaders().get("grpc-timeout");
        assertThat(value).as("grpc-timeout at the backend").isNotNull();
        return GrpcTimeout.parseNanos(value);
    }

    private static Dispatcher answer(MockResponse response) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return response;
            }
        };
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
