package io.gatehouse.tracing;

import static org.awaitility.Awaitility.await;

import io.gatehouse.server.StartOptions;
import io.gatehouse.testing.TestGateway;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** A traced gateway in front of MockWebServer backends, its spans kept in memory. */
final class TracingFixtures {
    static final String TRACEPARENT = "traceparent";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private TracingFixtures() {}

    /** {@code tracing:} on, every trace sampled unless {@code sampler} says otherwise, then {@code rest}. */
    static String tracing(String sampler, String rest) {
        return "tracing:\n  enabled: true\n  sampler: " + sampler + "\n" + rest;
    }

    static String route(String id, String match, int port, String extra) {
        return "  - {id: " + id + ", match: " + match + ", upstream: \"http://127.0.0.1:" + port + "\"" + extra + "}\n";
    }

    static TestGateway start(String yaml, InMemorySpanExporter spans) {
        return TestGateway.start(yaml, StartOptions.defaults().threads(2).spanExporter(spans));
    }

    /** A backend that answers every request with {@code status}. */
    static MockWebServer backend(int status) throws IOException {
        MockWebServer backend = new MockWebServer();
        backend.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(status).body("status " + status).build();
            }
        });
        backend.start();
        return backend;
    }

    static HttpResponse<String> get(TestGateway gateway, String pathAndQuery, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                + pathAndQuery)).timeout(Duration.ofSeconds(5));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The spans of the trace {@code traceId}, once {@code count} of them are exported. */
    static List<SpanData> trace(InMemorySpanExporter spans, String traceId, int count) {
        return await().atMost(Duration.ofSeconds(10)).until(
                () -> spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId))
                        .collect(Collectors.toList()),
                found -> found.size() >= count);
    }

    static SpanData only(List<SpanData> spans, SpanKind kind) {
        List<SpanData> ofKind = ofKind(spans, kind);
        if (ofKind.size() != 1) {
            throw new AssertionError("expected one " + kind + " span, got " + spans);
        }
        return ofKind.get(0);
    }

    static List<SpanData> ofKind(List<SpanData> spans, SpanKind kind) {
        return spans.stream().filter(s -> s.getKind() == kind).collect(Collectors.toList());
    }

    static String string(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }

    static Long number(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.longKey(key));
    }

    /** The parent span id in a W3C {@code traceparent} value ({@code 00-trace-parent-flags}). */
    static String parentId(String traceparent) {
        return traceparent.split("-")[2];
    }

    /** Whether a {@code traceparent}'s flags have the sampled bit (the SDK also sets the random-trace-id bit). */
    static boolean sampled(String traceparent) {
        return (Integer.parseInt(traceparent.split("-")[3], 16) & 1) == 1;
    }

    static String traceId(String traceparent) {
        return traceparent.split("-")[1];
    }
}
