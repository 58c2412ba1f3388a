package io.gatehouse.tracing;

import io.gatehouse.config.TracingConfig;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/** The OTLP exporter {@code tracing.exporter.otlp} describes. */
final class OtlpExporters {
    /** The path of the OTLP/HTTP trace endpoint under the configured base address. */
    static final String HTTP_TRACES_PATH = "/v1/traces";

    private OtlpExporters() {}

    static SpanExporter create(TracingConfig config) {
        String endpoint = config.endpoint().toString();
        return switch (config.protocol()) {
            case HTTP_PROTOBUF -> OtlpHttpSpanExporter.builder()
                    .setEndpoint(withoutTrailingSlash(endpoint) + HTTP_TRACES_PATH)
                    .setTimeout(config.exportTimeout())
                    .build();
            case GRPC -> OtlpGrpcSpanExporter.builder()
                    .setEndpoint(endpoint)
                    .setTimeout(config.exportTimeout())
                    .build();
        };
    }

    private static String withoutTrailingSlash(String endpoint) {
        return endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    }
}
