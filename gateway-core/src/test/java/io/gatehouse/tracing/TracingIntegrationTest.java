package io.gatehouse.tracing;

import static io.gatehouse.testing.MockBackends.received;
import static io.gatehouse.tracing.TracingFixtures.TRACEPARENT;
import static io.gatehouse.tracing.TracingFixtures.backend;
import static io.gatehouse.tracing.TracingFixtures.get;
import static io.gatehouse.tracing.TracingFixtures.number;
import static io.gatehouse.tracing.TracingFixtures.ofKind;
import static io.gatehouse.tracing.TracingFixtures.only;
import static io.gatehouse.tracing.TracingFixtures.parentId;
import static io.gatehouse.tracing.TracingFixtures.route;
import static io.gatehouse.tracing.TracingFixtures.sampled;
import static io.gatehouse.tracing.TracingFixtures.start;
import static io.gatehouse.tracing.TracingFixtures.string;
import static io.gatehouse.tracing.TracingFixtures.trace;
import static io.gatehouse.tracing.TracingFixtures.traceId;
import static io.gatehouse.tracing.TracingFixtures.tracing;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.TestGateway;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.http.HttpResponse;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * Traces as a tracing backend sees them: a SERVER span per request, a CLIENT span per attempt, the context the
 * backend receives, refusals as events, the sampling decisions, and nothing when tracing is off.
 */
class TracingIntegrationTest {
    private static final String CLIENT_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN_ID = "00f067aa0ba902b7";
    private static final String SAMPLED_PARENT = "00-" + CLIENT_TRACE_ID + "-" + CLIENT_SPAN_ID + "-01";
    private static final String UNSAMPLED_PARENT = "00-" + CLIENT_TRACE_ID + "-" + CLIENT_SPAN_ID + "-00";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();

    @Test
    void aRequestIsAServerSpanWithAClientSpanForItsAttempt() throws Exception {
        try (MockWebServer users = backend(200);
             TestGateway gateway = start(tracing("{ratio: 1}", "routes:\n"
                     + route("users", "{path_prefix: /users}", users.getPort(), "")), spans)) {
            HttpResponse<String> response = get(gateway, "/users/./7?token=s3cret&page=2", "X-Request-ID", "req-1");
            assertThat(response.statusCode()).isEqualTo(200);

            String traceparent = received(users).getHeaders().get(TRACEPARENT);
            List<SpanData> trace = trace(spans, traceId(traceparent), 2);
            SpanData server = only(trace, SpanKind.SERVER);
            SpanData client = only(trace, SpanKind.CLIENT);
            assertThat(server.getName()).isEqualTo("GET users");
            assertThat(server.getParentSpanContext().isValid()).as("a root span").isFalse();
            assertThat(string(server, "http.request.method")).isEqualTo("GET");
            assertThat(string(server, "http.route")).isEqualTo("users");
            assertThat(string(server, "url.path")).isEqualTo("/users/7"); // normalised
            assertThat(string(server, "url.scheme")).isEqualTo("http");
            assertThat(string(server, "server.address")).isEqualTo("127.0.0.1");
            assertThat(string(server, "network.peer.address")).isEqualTo("127.0.0.1");
            assertThat(string(server, "client.address")).isEqualTo("127.0.0.1");
            assertThat(string(server, "gatehouse.request_id")).isEqualTo("req-1");
            assertThat(number(server, "http.response.status_code")).isEqualTo(200);
            assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

            assertThat(client.getName()).isEqualTo("GET");
            assertThat(client.getParentSpanId()).isEqualTo(server.getSpanId());
            assertThat(string(client, "server.address")).isEqualTo("127.0.0.1");
            assertThat(number(client, "server.port")).isEqualTo(users.getPort());
            assertThat(string(client, "network.peer.address")).isEqualTo("127.0.0.1");
            assertThat(number(client, "http.response.status_code")).isEqualTo(200);
            assertThat(client.getStartEpochNanos()).isBetween(server.getStartEpochNanos(), server.getEndEpochNanos());
            assertThat(client.getEndEpochNanos()).isBetween(client.getStartEpochNanos(), server.getEndEpochNanos());

            // The backend's spans are children of the gateway's CLIENT span.
            assertThat(traceparent).startsWith("00-" + server.getTraceId() + "-" + client.getSpanId() + "-");
            assertThat(sampled(traceparent)).isTrue();
            // The query string is never recorded.
            assertThat(trace.toString()).doesNotContain("s3cret").doesNotContain("page=2").doesNotContain("?");

            JsonNode line = gateway.accessLogLine("req-1");
            assertThat(line.get("trace_id").asText()).isEqualTo(server.getTraceId());
            assertThat(line.get("span_id").asText()).isEqualTo(server.getSpanId());
        }
    }

    @Test
    void theClientsTraceparentIsTheParentAndTheBackendGetsTheClientSpanAsItsParent() throws Exception {
        try (MockWebServer users = backend(200);
             TestGateway gateway = start(tracing("{ratio: 0}", "routes:\n"
                     + route("users", "{path_prefix: /users}", users.getPort(), "")), spans)) {
            get(gateway, "/users", TRACEPARENT, SAMPLED_PARENT, "tracestate", "vendor=opaque");

            RecordedRequest atBackend = received(users);
            List<SpanData> trace = trace(spans, CLIENT_TRACE_ID, 2); // sampled for its parent, despite ratio 0
            SpanData server = only(trace, SpanKind.SERVER);
            SpanData client = only(trace, SpanKind.CLIENT);
            assertThat(server.getParentSpanId()).isEqualTo(CLIENT_SPAN_ID);
            assertThat(server.getParentSpanContext().isRemote()).isTrue();
            assertThat(atBackend.getHeaders().values(TRACEPARENT)).containsExactly(
                    "00-" + CLIENT_TRACE_ID + "-" + client.getSpanId() + "-01");
            assertThat(atBackend.getHeaders().get("tracestate")).isEqualTo("vendor=opaque");
        }
    }

    @Test
    void retriesAreSiblingClientSpans() throws Exception {
        try (MockWebServer a = backend(503); MockWebServer b = backend(503);
             TestGateway gateway = start(tracing("{ratio: 1}", """
                     pools:
                       p:
                         backends: ["http://127.0.0.1:%d", "http://127.0.0.1:%d"]
                     routes:
                       - {id: items, match: {path_prefix: /items}, pool: p, retry: {attempts: 2, on: [503]}}
                     """.formatted(a.getPort(), b.getPort())), spans)) {
            assertThat(get(gateway, "/items", "X-Request-ID", "retried").statusCode()).isEqualTo(503);

            String traceId = gateway.accessLogLine("retried").get("trace_id").asText();
            List<SpanData> trace = trace(spans, traceId, 3);
            SpanData server = only(trace, SpanKind.SERVER);
            List<SpanData> attempts = ofKind(trace, SpanKind.CLIENT);
            assertThat(attempts).hasSize(2).allSatisfy(attempt -> {
                assertThat(attempt.getParentSpanId()).isEqualTo(server.getSpanId());
                assertThat(number(attempt, "http.response.status_code")).isEqualTo(503);
                assertThat(string(attempt, "error.type")).isEqualTo("503");
                assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            });
            assertThat(attempts).extracting(attempt -> number(attempt, "http.request.resend_count"))
                    .containsExactlyInAnyOrder(null, 1L);
            assertThat(attempts).extracting(attempt -> number(attempt, "server.port"))
                    .containsExactlyInAnyOrder((long) a.getPort(), (long) b.getPort());
            assertThat(string(server, "error.type")).isEqualTo("503");
            assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            // each attempt carried its own span as the parent
            assertThat(List.of(parentId(received(a).getHeaders().get(TRACEPARENT)),
                    parentId(received(b).getHeaders().get(TRACEPARENT))))
                    .containsExactlyInAnyOrderElementsOf(attempts.stream().map(SpanData::getSpanId).toList());
        }
    }

    @Test
    void anAttemptThatCannotConnectSaysSo() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (TestGateway gateway = start(tracing("{ratio: 1}", "routes:\n"
                + route("down", "{path_prefix: /down}", closedPort, ", retry: {attempts: 1}")), spans)) {
            assertThat(get(gateway, "/down", "X-Request-ID", "unreachable").statusCode()).isEqualTo(502);

            List<SpanData> trace = trace(spans, gateway.accessLogLine("unreachable").get("trace_id").asText(), 2);
            SpanData attempt = only(trace, SpanKind.CLIENT);
            assertThat(string(attempt, "error.type")).isEqualTo("connect_failure");
            assertThat(number(attempt, "http.response.status_code")).isNull();
            assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            SpanData server = only(trace, SpanKind.SERVER);
            assertThat(string(server, "error.type")).isEqualTo("502");
            assertThat(server.getEvents().get(0).getAttributes().asMap().toString()).contains("bad_gateway");
        }
    }

    @Test
    void refusalsAreEventsWithTheirReason() throws Exception {
        try (MockWebServer users = backend(200);
             TestGateway gateway = start(tracing("{ratio: 1}", """
                     rate_limit:
                       policies: [{id: one, key: client_ip, limit: 1, period: 1m}]
                     routes:
                     """ + route("users", "{path_prefix: /users}", users.getPort(), ", rate_limit: [one]")), spans)) {
            get(gateway, "/users", "X-Request-ID", "first");
            assertThat(get(gateway, "/users?key=s3cret", "X-Request-ID", "limited").statusCode()).isEqualTo(429);
            assertThat(get(gateway, "/nowhere?key=s3cret", "X-Request-ID", "unrouted").statusCode()).isEqualTo(404);

            SpanData limited = only(trace(spans, gateway.accessLogLine("limited").get("trace_id").asText(), 1),
                    SpanKind.SERVER);
            assertThat(limited.getName()).isEqualTo("GET users");
            assertThat(number(limited, "http.response.status_code")).isEqualTo(429);
            assertThat(limited.getStatus().getStatusCode()).as("a 4xx is no server error").isEqualTo(StatusCode.UNSET);
            assertThat(limited.getEvents()).extracting(EventData::getName).containsExactly("gatehouse.refused");
            assertThat(limited.getEvents().get(0).getAttributes().asMap().toString()).contains("rate_limited");

            SpanData unrouted = only(trace(spans, gateway.accessLogLine("unrouted").get("trace_id").asText(), 1),
                    SpanKind.SERVER);
            assertThat(unrouted.getName()).isEqualTo("GET");
            assertThat(string(unrouted, "http.route")).isNull();
            assertThat(string(unrouted, "url.path")).isEqualTo("/nowhere");
            assertThat(unrouted.getEvents().get(0).getAttributes().asMap().toString()).contains("route_not_found");
            assertThat(spans.getFinishedSpanItems().toString()).doesNotContain("s3cret");
        }
    }

    @Test
    void anUnsampledRequestExportsNothingButStillPropagatesAndLogsItsIds() throws Exception {
        try (MockWebServer users = backend(200);
             TestGateway gateway = start(tracing("{ratio: 0}", "routes:\n"
                     + route("users", "{path_prefix: /users}", users.getPort(), "")), spans)) {
            get(gateway, "/users", "X-Request-ID", "root");
            get(gateway, "/users", "X-Request-ID", "child", TRACEPARENT, UNSAMPLED_PARENT);

            String rootParent = received(users).getHeaders().get(TRACEPARENT);
            String childParent = received(users).getHeaders().get(TRACEPARENT);
            assertThat(sampled(rootParent)).isFalse();
            assertThat(sampled(childParent)).isFalse();
            assertThat(childParent).startsWith("00-" + CLIENT_TRACE_ID + "-").doesNotContain(CLIENT_SPAN_ID);
            JsonNode root = gateway.accessLogLine("root");
            assertThat(root.get("trace_id").asText()).isEqualTo(traceId(rootParent)).hasSize(32);
            assertThat(root.get("span_id").asText()).hasSize(16);
            assertThat(gateway.accessLogLine("child").get("trace_id").asText()).isEqualTo(CLIENT_TRACE_ID);
            gateway.server().shutdown(java.time.Duration.ofMillis(100)); // flushes whatever was exported
            assertThat(spans.getFinishedSpanItems()).isEmpty();
        }
    }

    @Test
    void withoutParentBasedSamplingTheRatioAloneDecides() throws Exception {
        try (MockWebServer users = backend(200);
             TestGateway gateway = start(tracing("{ratio: 0, parent_based: false}", "routes:\n"
                     + route("users", "{path_prefix: /users}", users.getPort(), "")), spans)) {
            get(gateway, "/users", TRACEPARENT, SAMPLED_PARENT);

            String atBackend = received(users).getHeaders().get(TRACEPARENT);
            assertThat(atBackend).startsWith("00-" + CLIENT_TRACE_ID + "-");
            assertThat(sampled(atBackend)).isFalse();
            gateway.server().shutdown(java.time.Duration.ofMillis(100));
            assertThat(spans.getFinishedSpanItems()).isEmpty();
        }
    }

    @Test
    void tracingOffMakesNoSpansAndForwardsTheClientsTraceparentUntouched() throws Exception {
        try (MockWebServer users = backend(200);
             TestGateway gateway = start("routes:\n" + route("users", "{path_prefix: /users}", users.getPort(), ""),
                     spans)) {
            get(gateway, "/users", "X-Request-ID", "untraced", TRACEPARENT, SAMPLED_PARENT, "tracestate", "v=1");

            RecordedRequest atBackend = received(users);
            assertThat(atBackend.getHeaders().values(TRACEPARENT)).containsExactly(SAMPLED_PARENT);
            assertThat(atBackend.getHeaders().get("tracestate")).isEqualTo("v=1");
            JsonNode line = gateway.accessLogLine("untraced");
            assertThat(line.has("trace_id")).isFalse();
            assertThat(line.has("span_id")).isFalse();
            assertThat(gateway.server().runtime().snapshot().tracing()).isNull();
            assertThat(spans.getFinishedSpanItems()).isEmpty();
        }
    }

    @Test
    void aReloadTurnsTracingOnAndOffLive() throws Exception {
        try (MockWebServer users = backend(200)) {
            String routes = "routes:\n" + route("users", "{path_prefix: /users}", users.getPort(), "");
            try (TestGateway gateway = start(routes, spans)) {
                get(gateway, "/users", "X-Request-ID", "before");
                assertThat(gateway.accessLogLine("before").has("trace_id")).isFalse();

                gateway.install(tracing("{ratio: 1}", routes));
                GatewayTracing on = gateway.server().runtime().snapshot().tracing();
                get(gateway, "/users", "X-Request-ID", "during");
                String traceId = gateway.accessLogLine("during").get("trace_id").asText();
                assertThat(trace(spans, traceId, 2)).hasSize(2);

                gateway.install(tracing("{ratio: 1}", routes).replace("upstream", "strip_prefix: false, upstream"));
                assertThat(gateway.server().runtime().snapshot().tracing()).as("unchanged: kept").isSameAs(on);

                gateway.install(routes);
                assertThat(gateway.server().runtime().snapshot().tracing()).isNull();
                get(gateway, "/users", "X-Request-ID", "after");
                assertThat(gateway.accessLogLine("after").has("trace_id")).isFalse();
            }
        }
    }
}
