package io.gatehouse.tracing;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.netty.channel.ChannelOption;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderConfig;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.common.export.MessageWriter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sends OTLP/gRPC export requests with grpc-java (on the classpath already for etcd) over one channel: the OTLP
 * exporter serialises the message, this sends it as a unary call and reports the status. The exporter retries
 * what is retryable.
 */
final class GrpcJavaSender implements GrpcSender {
    private static final byte[] NO_MESSAGE = new byte[0];

    private final ManagedChannel channel;
    private final MethodDescriptor<MessageWriter, byte[]> method;
    private final long timeoutNanos;

    GrpcJavaSender(GrpcSenderConfig config) {
        URI endpoint = config.getEndpoint();
        int port = endpoint.getPort() != -1 ? endpoint.getPort() : "https".equals(endpoint.getScheme()) ? 443 : 80;
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(endpoint.getHost(), port)
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.getConnectTimeout().toMillis());
        if ("https".equals(endpoint.getScheme())) {
            builder.useTransportSecurity();
        } else {
            builder.usePlaintext();
        }
        if (config.getExecutorService() != null) {
            builder.executor(config.getExecutorService());
        }
        this.channel = builder.build();
        this.method = MethodDescriptor.<MessageWriter, byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(config.getFullMethodName())
                .setRequestMarshaller(new RequestMarshaller())
                .setResponseMarshaller(new BytesMarshaller())
                .build();
        this.timeoutNanos = config.getTimeout().toNanos();
    }

    @Override
    public void send(MessageWriter message, Consumer<GrpcResponse> onResponse, Consumer<Throwable> onError) {
        ClientCall<MessageWriter, byte[]> call = channel.newCall(method,
                CallOptions.DEFAULT.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS));
        ClientCalls.asyncUnaryCall(call, message, new StreamObserver<>() {
            private byte[] response = NO_MESSAGE;

            @Override
            public void onNext(byte[] value) {
                response = value;
            }

            @Override
            public void onError(Throwable t) {
                Status status = Status.fromThrowable(t);
                onResponse.accept(new Response(GrpcStatusCode.fromValue(status.getCode().value()),
                        status.getDescription(), NO_MESSAGE));
            }

            @Override
            public void onCompleted() {
                onResponse.accept(new Response(GrpcStatusCode.OK, null, response));
            }
        });
    }

    @Override
    public CompletableResultCode shutdown() {
        channel.shutdown();
        return CompletableResultCode.ofSuccess();
    }

    private record Response(GrpcStatusCode getStatusCode, String getStatusDescription, byte[] getResponseMessage)
            implements GrpcResponse {}

    /** Writes the exporter's serialised message; never parses one (the gateway receives no requests here). */
    private static final class RequestMarshaller implements MethodDescriptor.Marshaller<MessageWriter> {
        @Override
        public InputStream stream(MessageWriter value) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(value.getContentLength());
            try {
                value.writeMessage(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new ByteArrayInputStream(out.toByteArray());
        }

        @Override
        public MessageWriter parse(InputStream stream) {
            throw new UnsupportedOperationException("requests are only sent");
        }
    }

    private static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
