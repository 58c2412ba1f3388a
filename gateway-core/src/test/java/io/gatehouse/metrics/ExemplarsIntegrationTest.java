package io.gatehouse.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.NamedBackend;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** {@code /metrics} by the scraper's {@code Accept}: OpenMetrics for Prometheus, the text format otherwise. */
class ExemplarsIntegrationTest {
    static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,"
            + "application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,"
            + "text/plain;version=0.0.4;q=0.2,*/*;q=0.1";
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void withTracingOffOpenMetricsIsServedWithoutExemplarsAndCurlGetsTheTextFormat() throws Exception {
        try (NamedBackend a = new NamedBackend("A");
             TestGateway gateway = TestGateway.start(JvmMetersIntegrationTest.config(a))) {
            assertThat(send(gateway, "/a", "traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01").body())
                    .isEqualTo("A");

            HttpResponse<String> openMetrics = send(gateway, "/metrics", "Accept", PROMETHEUS_ACCEPT);
            HttpResponse<String> text = send(gateway, "/metrics", "Accept", "*/*");

            assertThat(openMetrics.headers().firstValue("content-type"))
                    .hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
            assertThat(openMetrics.body()).contains("gatehouse_request_duration_seconds_bucket{route=\"a\",le=\"0.001\"}")
                    .doesNotContain("trace_id").endsWith("# EOF\n");
            assertThat(text.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(text.body())
                    .contains("gatehouse_requests_total{method=\"GET\",protocol=\"HTTP/1.1\",route=\"a\","
                            + "status_class=\"2xx\"} 1")
                    .doesNotContain("# EOF");
        }
    }

    @Test
    void withTracingOnASampledRequestsTraceIsTheExemplarOfBothLatencyHistograms() throws Exception {
        String tracing = "tracing: {enabled: true, exporter: {otlp: {endpoint: \"http://127.0.0.1:9\"}}}\n";
        try (NamedBackend a = new NamedBackend("A");
             TestGateway gateway = TestGateway.start(tracing + JvmMetersIntegrationTest.config(a))) {
            assertThat(send(gateway, "/a", "traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01").body())
                    .isEqualTo("A");

            String openMetrics = send(gateway, "/metrics", "Accept", PROMETHEUS_ACCEPT).body();
            String text = send(gateway, "/metrics", "Accept", "text/plain").body();

            String exemplar = "} 1 # \\{span_id=\"[0-9a-f]{16}\",trace_id=\"" + TRACE + "\"} [0-9.eE-]+ [0-9.]+";
            assertThat(openMetrics)
                    .containsPattern("gatehouse_request_duration_seconds_bucket\\{route=\"a\",le=\"[0-9.]+\"" + exemplar)
                    .containsPattern("gatehouse_upstream_duration_seconds_bucket\\{pool=\"a\",le=\"[0-9.]+\"" + exemplar);
            assertThat(text).doesNotContain(TRACE);
        }
    }

    static HttpResponse<String> send(TestGateway gateway, String path, String header, String value) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(gateway.uri(path)).header(header, value).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
