package io.gatehouse.tracing;

import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderConfig;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;

/**
 * Lets the OTLP/gRPC exporter send with grpc-java, found through {@link java.util.ServiceLoader}
 * ({@code META-INF/services}). The OpenTelemetry project's own senders would add OkHttp and Kotlin, or a
 * module not published for this version; grpc-java is in the jar already, for etcd.
 */
public final class GrpcJavaSenderProvider implements GrpcSenderProvider {
    @Override
    public GrpcSender createSender(GrpcSenderConfig config) {
        return new GrpcJavaSender(config);
    }
}
