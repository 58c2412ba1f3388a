package io.gatehouse.config;

import static io.gatehouse.config.Configs.DIRECT_ROUTE;
import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.TracingConfig.OtlpProtocol;
import io.gatehouse.config.TracingConfig.Propagator;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TracingSectionTest {
    private static final String ENDPOINT_EXPECTED = "expected an http:// or https:// address such as http://127.0.0.1:4318, without query or fragment";

    private static TracingConfig tracing(String section) {
        return parse("tracing:\n" + section.indent(2) + DIRECT_ROUTE).tracing();
    }

    private static List<String> tracingErrors(String section) {
        return errors("tracing:\n" + section.indent(2) + DIRECT_ROUTE);
    }

    @Test
    void offWhenAbsent() {
        assertThat(parse(DIRECT_ROUTE).tracing()).isSameAs(TracingConfig.OFF);
        assertThat(TracingConfig.OFF.enabled()).isFalse();
    }

    @Test
    void defaults() {
        TracingConfig on = tracing("enabled: true");
        assertThat(on).isEqualTo(new TracingConfig(true, URI.create("http://127.0.0.1:4318"),
                OtlpProtocol.HTTP_PROTOBUF, Duration.ofSeconds(10), 2048, true, 0.1,
                List.of(Propagator.TRACECONTEXT, Propagator.BAGGAGE), "gatehouse"));
        assertThat(tracing("enabled: false\nsampler: {ratio: 1}").enabled()).isFalse();
        // grpc's default endpoint is its own port
        assertThat(tracing("enabled: true\nexporter: {otlp: {protocol: grpc}}").endpoint())
                .isEqualTo(URI.create("http://127.0.0.1:4317"));
    }

    @Test
    void everySetting() {
        TracingConfig all = tracing("""
                enabled: true
                exporter:
                  otlp: {endpoint: "https://collector.example:4318", protocol: http/protobuf, timeout: 2s}
                  queue_size: 100
                sampler: {parent_based: false, ratio: 1}
                propagators: [b3, tracecontext, B3MULTI, b3]
                service_name: edge
                """);
        assertThat(all).isEqualTo(new TracingConfig(true, URI.create("https://collector.example:4318"),
                OtlpProtocol.HTTP_PROTOBUF, Duration.ofSeconds(2), 100, false, 1.0,
                List.of(Propagator.B3, Propagator.TRACECONTEXT, Propagator.B3MULTI), "edge"));
        assertThat(tracing("sampler: {ratio: 0}").ratio()).isZero();
        assertThat(tracing("exporter: {otlp: {protocol: grpc, endpoint: \"http://otel:4317\"}}").protocol())
                .isEqualTo(OtlpProtocol.GRPC);
    }

    @Test
    void badValuesAreReportedWithTheirPath() {
        assertThat(tracingErrors("enabled: yes please")).containsExactly(
                "tracing.enabled: \"yes please\" (expected true or false)");
        assertThat(tracingErrors("exporter: {otlp: {protocol: thrift}}")).containsExactly(
                "tracing.exporter.otlp.protocol: \"thrift\" (expected http/protobuf or grpc)");
        assertThat(tracingErrors("exporter: {otlp: {endpoint: \"ftp://collector:21\"}}")).containsExactly(
                "tracing.exporter.otlp.endpoint: \"ftp://collector:21\" (" + ENDPOINT_EXPECTED + ")");
        assertThat(tracingErrors("exporter: {otlp: {endpoint: \"http://collector:4318/?debug=1\"}}")).containsExactly(
                "tracing.exporter.otlp.endpoint: \"http://collector:4318/?debug=1\" (" + ENDPOINT_EXPECTED + ")");
        assertThat(tracingErrors("exporter: {otlp: {timeout: 0s}}")).containsExactly(
                "tracing.exporter.otlp.timeout: \"0s\" (expected a duration greater than 0)");
        assertThat(tracingErrors("exporter: {queue_size: 0}")).containsExactly(
                "tracing.exporter.queue_size: 0 (expected: 1..1000000)");
        assertThat(tracingErrors("sampler: {ratio: 1.5}")).containsExactly(
                "tracing.sampler.ratio: 1.5 (expected a number from 0 to 1 such as 0.1)");
        assertThat(tracingErrors("sampler: {ratio: ten percent}")).containsExactly(
                "tracing.sampler.ratio: \"ten percent\" (expected a number from 0 to 1 such as 0.1)");
        assertThat(tracingErrors("sampler: {parent_based: maybe}")).containsExactly(
                "tracing.sampler.parent_based: \"maybe\" (expected true or false)");
        assertThat(tracingErrors("propagators: [tracecontext, jaeger]")).containsExactly(
                "tracing.propagators: a list (expected propagators among tracecontext, baggage, b3, b3multi"
                        + " (got jaeger))");
        assertThat(tracingErrors("propagators: tracecontext")).containsExactly(
                "tracing.propagators: \"tracecontext\" (expected a list of propagators: tracecontext, baggage, b3,"
                        + " b3multi)");
        assertThat(tracingErrors("service_name: \"\"")).containsExactly(
                "tracing.service_name: \"\" (expected a non-empty name such as gatehouse)");
    }

    @Test
    void anEndpointWithCredentialsIsReportedWithoutThem() {
        List<String> reported = tracingErrors("exporter: {otlp: {endpoint: \"http://user:s3cret@collector:4318\"}}");
        assertThat(reported).containsExactly("tracing.exporter.otlp.endpoint: not shown, as it may hold a password ("
                + ENDPOINT_EXPECTED + ", without user information)");
        assertThat(reported.get(0)).doesNotContain("s3cret");
    }

    @Test
    void unknownKeysAreReported() {
        assertThat(tracingErrors("enable: true")).containsExactly(
                "tracing.enable: unknown key (expected one of: enabled, exporter, sampler, propagators, service_name)");
        assertThat(tracingErrors("exporter: {otlp: {endpoint: \"http://c:4318\", headers: {a: b}}}")).containsExactly(
                "tracing.exporter.otlp.headers: unknown key (expected one of: endpoint, protocol, timeout)");
        assertThat(tracingErrors("exporter: {zipkin: {}}")).containsExactly(
                "tracing.exporter.zipkin: unknown key (expected one of: otlp, queue_size)");
        assertThat(tracingErrors("sampler: {rate: 0.5}")).containsExactly(
                "tracing.sampler.rate: unknown key (expected one of: parent_based, ratio)");
        assertThat(errors("tracing: true\n" + DIRECT_ROUTE)).containsExactly(
                "tracing: true (expected a map with keys: enabled, exporter, sampler, propagators, service_name)");
    }
}
