package io.gatehouse.tracing;

import static io.gatehouse.testing.OtlpReceiver.attribute;
import static io.gatehouse.tracing.TracingFixtures.backend;
import static io.gatehouse.tracing.TracingFixtures.get;
import static io.gatehouse.tracing.TracingFixtures.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.testing.OtlpGrpcReceiver;
import io.gatehouse.testing.OtlpReceiver;
import io.gatehouse.testing.TestGateway;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/** What reaches a real OTLP/HTTP receiver, and what happens to requests and spans when there is none. */
class OtlpExportIntegrationTest {
    private static String tracing(String endpoint, String more) {
        return "tracing:\n  enabled: true\n  service_name: edge-eu\n  sampler: {ratio: 1}\n"
                + "  exporter:\n    otlp: {endpoint: \"" + endpoint + "\", timeout: 1s}\n" + more;
    }

    @Test
    void spansArriveAtTheReceiverDecodedByTheOtlpProtoClasses() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start(); MockWebServer users = TracingFixtures.backend(200);
             TestGateway gateway = TestGateway.start(tracing(receiver.endpoint(), "") + "routes:\n"
                     + route("users", "{path_prefix: /users}", users.getPort(), ""))) {
            assertThat(get(gateway, "/users/1?q=secret", "X-Request-ID", "exported").statusCode()).isEqualTo(200);
            String traceId = gateway.accessLogLine("exported").get("trace_id").asText();
            String spanId = gateway.accessLogLine("exported").get("span_id").asText();

            List<Span> spans = await().atMost(Duration.ofSeconds(10)).until(() -> spans(receiver.resourceSpans()),
                    received -> received.size() >= 2);
            ResourceSpans resource = receiver.resourceSpans().get(0);
            assertThat(attribute(resource.getResource().getAttributesList(), "service.name")).isEqualTo("edge-eu");
            assertThat(receiver.contentTypes()).allMatch("application/x-protobuf"::equals);
            Span server = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).findFirst()
                    .orElseThrow();
            Span client = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT).findFirst()
                    .orElseThrow();
            assertThat(server.getName()).isEqualTo("GET users");
            assertThat(HexFormat.of().formatHex(server.getTraceId().toByteArray())).isEqualTo(traceId);
            assertThat(HexFormat.of().formatHex(server.getSpanId().toByteArray())).isEqualTo(spanId);
            assertThat(attribute(server.getAttributesList(), "http.route")).isEqualTo("users");
            assertThat(attribute(server.getAttributesList(), "url.path")).isEqualTo("/users/1");
            assertThat(attribute(server.getAttributesList(), "http.response.status_code")).isEqualTo("200");
            assertThat(attribute(server.getAttributesList(), "gatehouse.request_id")).isEqualTo("exported");
            assertThat(client.getParentSpanId()).isEqualTo(server.getSpanId());
            assertThat(attribute(client.getAttributesList(), "server.port")).isEqualTo(
                    Integer.toString(users.getPort()));
            assertThat(receiver.resourceSpans().toString()).doesNotContain("secret");
            await().atMost(Duration.ofSeconds(5)).until(
                    () -> gateway.metric("gatehouse_tracing_spans_exported_total") >= 2);
        }
    }

    @Test
    void spansArriveOverGrpcToo() throws Exception {
        // The first call is refused UNAVAILABLE, as by a collector still starting: the sender tries again.
        try (OtlpGrpcReceiver receiver = OtlpGrpcReceiver.unavailableFor(1); MockWebServer users = backend(200);
             TestGateway gateway = TestGateway.start(tracing(receiver.endpoint(), "").replace("timeout: 1s",
                     "protocol: grpc, timeout: 5s") + "routes:\n"
                     + route("users", "{path_prefix: /users}", users.getPort(), ""))) {
            assertThat(get(gateway, "/users/2", "X-Request-ID", "over-grpc").statusCode()).isEqualTo(200);
            String traceId = gateway.accessLogLine("over-grpc").get("trace_id").asText();

            List<Span> spans = await().atMost(Duration.ofSeconds(10)).until(
                    () -> spans(receiver.resourceSpans()), received -> received.size() >= 2);
            assertThat(attribute(receiver.resourceSpans().get(0).getResource().getAttributesList(), "service.name"))
                    .isEqualTo("edge-eu");
            assertThat(spans).extracting(Span::getName).containsExactlyInAnyOrder("GET users", "GET");
            assertThat(spans).allSatisfy(span ->
                    assertThat(HexFormat.of().formatHex(span.getTraceId().toByteArray())).isEqualTo(traceId));
            assertThat(receiver.calls()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void withTheReceiverDownRequestsStillSucceedAndLostSpansAreCounted() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (MockWebServer users = backend(200);
             TestGateway gateway = TestGateway.start(tracing("http://127.0.0.1:" + closedPort,
                     "    queue_size: 4\n") + "routes:\n" + route("users", "{path_prefix: /users}", users.getPort(),
                     ""))) {
            for (int i = 0; i < 20; i++) {
                assertThat(get(gateway, "/users").statusCode()).isEqualTo(200);
            }
            // 40 spans: at most 4 wait at a time, the others are dropped, and those sent fail (after retries).
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway.metric("gatehouse_tracing_spans_dropped_total")
                    + gateway.metric("gatehouse_tracing_spans_failed_total") == 40);
            assertThat(gateway.metric("gatehouse_tracing_spans_dropped_total")).isPositive();
            assertThat(gateway.metric("gatehouse_tracing_spans_failed_total")).isPositive();
            assertThat(gateway.metric("gatehouse_tracing_spans_exported_total")).isZero();
        }
    }

    private static List<Span> spans(List<ResourceSpans> received) {
        return received.stream().flatMap(r -> r.getScopeSpansList().stream())
                .flatMap(s -> s.getSpansList().stream()).collect(Collectors.toList());
    }
}
