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
import io.opentelemetry.sdk.common.export.RetryPolicy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sends OTLP/gRPC export requests with grpc-java (on the classpath already for etcd) over one channel: the OTLP
 * exporter serialises the message, this sends it as a unary call and reports the status. A call that fails with a
 * retryable status (the collector unavailable, a deadline exceeded, ...) is tried again per the exporter's
 * {@link RetryPolicy}, after a random part of an exponential backoff, as the OpenTelemetry senders do.
 */
final class GrpcJavaSender implements GrpcSender {
    private static final byte[] NO_MESSAGE = new byte[0];
    /** The statuses the OTLP specification calls retryable. */
    private static final Set<Status.Code> RETRYABLE = EnumSet.of(Status.Code.CANCELLED,
            Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED, Status.Code.ABORTED,
            Status.Code.OUT_OF_RANGE, Status.Code.UNAVAILABLE, Status.Code.DATA_LOSS);

    private final ManagedChannel channel;
    private final MethodDescriptor<byte[], byte[]> method;
    private final long timeoutNanos;
    /** Null: no retries. */
    private final RetryPolicy retry;

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
        BytesMarshaller bytes = new BytesMarshaller();
        this.method = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(config.getFullMethodName())
                .setRequestMarshaller(bytes)
                .setResponseMarshaller(bytes)
                .build();
        this.timeoutNanos = config.getTimeout().toNanos();
        this.retry = config.getRetryPolicy();
    }

    @Override
    public void send(MessageWriter message, Consumer<GrpcResponse> onResponse, Consumer<Throwable> onError) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.getContentLength());
        try {
            message.writeMessage(out);
        } catch (IOException | RuntimeException e) {
            onError.accept(e);
            return;
        }
        call(out.toByteArray(), onResponse, 1, retry == null ? 0 : retry.getInitialBackoff().toNanos());
    }

    private void call(byte[] message, Consumer<GrpcResponse> onResponse, int attempt, long backoffNanos) {
        ClientCall<byte[], byte[]> call = channel.newCall(method,
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
                if (retry != null && attempt < retry.getMaxAttempts() && RETRYABLE.contains(status.getCode())
                        && !channel.isShutdown()) {
                    long next = Math.min((long) (backoffNanos * retry.getBackoffMultiplier()),
                            retry.getMaxBackoff().toNanos());
                    CompletableFuture.delayedExecutor(ThreadLocalRandom.current().nextLong(backoffNanos + 1),
                            TimeUnit.NANOSECONDS).execute(() -> call(message, onResponse, attempt + 1, next));
                    return;
                }
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
