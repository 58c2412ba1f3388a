package io.gatehouse.testing;

import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OTLP/gRPC trace receiver (plaintext, a free loopback port) keeping every request it decoded; it may answer the
 * first calls {@code UNAVAILABLE}, as a collector starting up does.
 */
public final class OtlpGrpcReceiver implements AutoCloseable {
    private static final String SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService";
    private final List<ResourceSpans> received = new CopyOnWriteArrayList<>();
    private final Server server;
    private final AtomicInteger unavailable;
    private final AtomicInteger calls = new AtomicInteger();

    private OtlpGrpcReceiver(int unavailable) throws IOException {
        this.unavailable = new AtomicInteger(unavailable);
        MethodDescriptor<ExportTraceServiceRequest, ExportTraceServiceResponse> export = MethodDescriptor
                .<ExportTraceServiceRequest, ExportTraceServiceResponse>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(SERVICE + "/Export")
                .setRequestMarshaller(ProtoUtils.marshaller(ExportTraceServiceRequest.getDefaultInstance()))
                .setResponseMarshaller(ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance()))
                .build();
        ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
                .addMethod(export, ServerCalls.asyncUnaryCall((request, response) -> {
                    calls.incrementAndGet();
                    if (this.unavailable.getAndDecrement() > 0) {
                        response.onError(Status.UNAVAILABLE.withDescription("starting").asRuntimeException());
                        return;
                    }
                    received.addAll(request.getResourceSpansList());
                    response.onNext(ExportTraceServiceResponse.getDefaultInstance());
                    response.onCompleted();
                }))
                .build();
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service).build()
                .start();
    }

    public static OtlpGrpcReceiver start() throws IOException {
        return new OtlpGrpcReceiver(0);
    }

    /** A receiver answering its first {@code calls} export calls {@code UNAVAILABLE}. */
    public static OtlpGrpcReceiver unavailableFor(int calls) throws IOException {
        return new OtlpGrpcReceiver(calls);
    }

    /** Export calls received, refused ones included. */
    public int calls() {
        return calls.get();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getPort();
    }

    public List<ResourceSpans> resourceSpans() {
        return received;
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
