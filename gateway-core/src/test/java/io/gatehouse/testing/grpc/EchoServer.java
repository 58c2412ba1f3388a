package io.gatehouse.testing.grpc;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.gatehouse.testing.TestPki;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A grpc-java server of the {@code gatehouse.test.Echo} service (src/test/proto/echo.proto) on a free loopback port,
 * plaintext (h2c) or TLS (h2 with ALPN), counting calls and keeping each call's request headers. A request asks for
 * a delay or a failure; {@link #failEveryCall} makes the whole server answer each call with one status before any
 * message, as a trailers-only response (a backend that is shedding load).
 */
public final class EchoServer implements AutoCloseable {
    /** The domain of the {@code ErrorInfo} a failure with a {@code detail_reason} carries. */
    public static final String DETAIL_DOMAIN = "gatehouse.test";

    private final String name;
    private final Server server;
    private final ScheduledExecutorService timer;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<Metadata> requestHeaders = new CopyOnWriteArrayList<>();
    private volatile Status failEvery;

    private EchoServer(String name, TestPki.Files tls) {
        this.name = name;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "echo-" + name);
            thread.setDaemon(true);
            return thread;
        });
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(new Service(), new Counting()));
        try {
            if (tls != null) {
                builder.sslContext(GrpcSslContexts.forServer(tls.cert().toFile(), tls.key().toFile()).build());
            }
            this.server = builder.build().start();
        } catch (IOException e) {
            timer.shutdownNow();
            throw new UncheckedIOException(e);
        }
    }

    /** A cleartext HTTP/2 (h2c) server named {@code name}, the name its replies carry. */
    public static EchoServer plaintext(String name) {
        return new EchoServer(name, null);
    }

    /** A TLS server presenting {@code certificate} (see {@link TestPki.Issued#writeTo}). */
    public static EchoServer tls(String name, TestPki.Files certificate) {
        return new EchoServer(name, certificate);
    }

    public int port() {
        return server.getPort();
    }

    public String name() {
        return name;
    }

    /** Calls received, failed ones included. */
    public int calls() {
        return calls.get();
    }

    /** The request headers of each call received, in order. */
    public List<Metadata> requestHeaders() {
        return new ArrayList<>(requestHeaders);
    }

    /** From now on every call ends at once with {@code status} (null: answer normally again). */
    public void failEveryCall(Status status) {
        this.failEvery = status;
    }

    @Override
    public void close() {
        server.shutdownNow();
        timer.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Counting implements ServerInterceptor {
        @Override
        public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                           ServerCallHandler<Q, A> next) {
            calls.incrementAndGet();
            requestHeaders.add(headers);
            Status status = failEvery;
            if (status != null) {
                call.close(status, new Metadata());
                return new ServerCall.Listener<>() {};
            }
            return next.startCall(call, headers);
        }
    }

    private final class Service extends EchoGrpc.EchoImplBase {
        @Override
        public void unary(EchoRequest request, StreamObserver<EchoReply> replies) {
            later(request, () -> answer(request, 1, replies));
        }

        @Override
        public void serverStream(EchoRequest request, StreamObserver<EchoReply> replies) {
            later(request, () -> answer(request, Math.max(1, request.getReplies()), replies));
        }

        @Override
        public StreamObserver<EchoRequest> clientStream(StreamObserver<EchoReply> reply) {
            return new StreamObserver<>() {
                private final List<String> texts = new ArrayList<>();
                private Failure failure;

                @Override
                public void onNext(EchoRequest request) {
                    texts.add(request.getText());
                    if (failure == null && request.hasFail()) {
                        failure = request.getFail();
                    }
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {
                    if (failure != null) {
                        reply.onError(error(failure));
                        return;
                    }
                    reply.onNext(reply(String.join(",", texts), 0));
                    reply.onCompleted();
                }
            };
        }

        @Override
        public StreamObserver<EchoRequest> bidi(StreamObserver<EchoReply> replies) {
            return new StreamObserver<>() {
                private int index;
                private boolean ended;

                @Override
                public void onNext(EchoRequest request) {
                    if (ended) {
                        return;
                    }
                    if (request.hasFail()) {
                        ended = true;
                        replies.onError(error(request.getFail()));
                    } else {
                        replies.onNext(reply(request.getText(), index++));
                    }
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {
                    if (!ended) {
                        replies.onCompleted();
                    }
                }
            };
        }
    }

    private void later(EchoRequest request, Runnable answer) {
        if (request.getDelayMillis() > 0) {
            timer.schedule(answer, request.getDelayMillis(), TimeUnit.MILLISECONDS);
        } else {
            answer.run();
        }
    }

    /** {@code count} replies, or the request's failure after its {@code after_replies} of them. */
    private void answer(EchoRequest request, int count, StreamObserver<EchoReply> replies) {
        Failure failure = request.hasFail() ? request.getFail() : null;
        int before = failure == null ? count : Math.min(count, failure.getAfterReplies());
        for (int i = 0; i < before; i++) {
            replies.onNext(reply(request.getText(), i));
        }
        if (failure != null) {
            replies.onError(error(failure));
        } else {
            replies.onCompleted();
        }
    }

    private EchoReply reply(String text, int index) {
        return EchoReply.newBuilder().setText(text).setIndex(index).setServer(name).build();
    }

    private static Throwable error(Failure failure) {
        if (failure.getDetailReason().isEmpty()) {
            return Status.fromCodeValue(failure.getCode()).withDescription(failure.getMessage()).asRuntimeException();
        }
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(failure.getCode())
                .setMessage(failure.getMessage())
                .addDetails(Any.pack(ErrorInfo.newBuilder()
                        .setReason(failure.getDetailReason()).setDomain(DETAIL_DOMAIN).build()))
                .build();
        return StatusProto.toStatusRuntimeException(status);
    }
}
