package io.gatehouse.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.context.ClientPeer;
import io.gatehouse.context.RequestContext;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

/**
 * The latency histograms' exemplars: the trace of a sampled request, in the OpenMetrics exposition only; none for a
 * request whose trace is not sampled or that has none (tracing off).
 */
class LatencyExemplarsTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    private final GatewayMetrics metrics = new GatewayMetrics();

    @Test
    void aSampledRequestsTraceIsTheExemplarOfItsBucketInOpenMetricsOnly() {
        RequestContext request = finished(TRACE, true);

        metrics.forRoute("a").record(request, 200);
        metrics.recordUpstream(metrics.upstreamTimer("p"), request);

        String openMetrics = metrics.scrape(Exposition.OPEN_METRICS);
        String exemplar = " # {span_id=\"" + SPAN + "\",trace_id=\"" + TRACE + "\"} ";
        assertThat(openMetrics).containsPattern(
                "gatehouse_request_duration_seconds_bucket\\{route=\"a\",le=\"[0-9.]+\"} 1" + exemplarPattern());
        assertThat(openMetrics).containsPattern(
                "gatehouse_upstream_duration_seconds_bucket\\{pool=\"p\",le=\"[0-9.]+\"} 1" + exemplarPattern());
        assertThat(openMetrics.lines().filter(line -> line.contains("_bucket{") && line.contains(exemplar)))
                .as("one bucket per histogram").hasSize(2);
        assertThat(metrics.scrape()).as("the Prometheus text format has no exemplars").doesNotContain(TRACE)
                .contains("gatehouse_request_duration_seconds_count{route=\"a\"} 1");
    }

    @Test
    void aRequestWhoseTraceIsNotSampledOrThatHasNoneLeavesNoExemplar() {
        RouteMeters meters = metrics.forRoute("a");

        meters.record(finished(TRACE, false), 200);
        meters.record(finished(null, false), 200);

        String openMetrics = metrics.scrape(Exposition.OPEN_METRICS);
        assertThat(openMetrics).contains("gatehouse_request_duration_seconds_count{route=\"a\"} 2")
                .doesNotContain("trace_id");
    }

    @Test
    void openMetricsIsServedToAScraperThatAcceptsIt() {
        String prometheus = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,"
                + "application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.2,*/*;q=0.1";

        assertThat(Exposition.accepted(prometheus)).isEqualTo(Exposition.OPEN_METRICS);
        assertThat(Exposition.accepted("Application/OpenMetrics-Text")).isEqualTo(Exposition.OPEN_METRICS);
        assertThat(Exposition.accepted("text/plain")).isEqualTo(Exposition.PROMETHEUS_TEXT);
        assertThat(Exposition.accepted("*/*")).isEqualTo(Exposition.PROMETHEUS_TEXT);
        assertThat(Exposition.accepted(null)).isEqualTo(Exposition.PROMETHEUS_TEXT);
    }

    private static String exemplarPattern() {
        return " # \\{span_id=\"" + SPAN + "\",trace_id=\"" + TRACE + "\"} [0-9.eE-]+ [0-9.]+";
    }

    private static RequestContext finished(String traceId, boolean sampled) {
        RequestContext request = new RequestContext(
                new ClientPeer(InetAddress.getLoopbackAddress(), "127.0.0.1", false), "GET", "/a/1", "req-1");
        if (traceId != null) {
            request.trace(traceId, SPAN, sampled);
        }
        request.upstreamRequestSent();
        request.upstreamHeadersReceived();
        request.finish(200);
        return request;
    }
}
