package io.gatehouse.testing.grpc;

import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Calls the Echo service and collects how each call ended: the replies received, then the status and trailers,
 * whether the call succeeded or not. Each wait is bounded.
 */
public final class EchoCalls {
    private static final long WAIT_SECONDS = 10;
    private final EchoGrpc.EchoStub stub;

    public EchoCalls(Channel channel) {
        this.stub = EchoGrpc.newStub(channel);
    }

    private EchoCalls(EchoGrpc.EchoStub stub) {
        this.stub = stub;
    }

    /** These calls with {@code headers} added to each request. */
    public EchoCalls withHeaders(Metadata headers) {
        return new EchoCalls(stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)));
    }

    /** These calls with a deadline of {@code millis} from each call's start. */
    public EchoCalls withDeadlineMillis(long millis) {
        return new EchoCalls(stub.withDeadlineAfter(millis, TimeUnit.MILLISECONDS));
    }

    /** How a call ended: its replies in order, its status (OK included) and its trailers. */
    public record Outcome(List<EchoReply> replies, Status status, Metadata trailers) {}

    /** The reply of a unary call that must succeed. */
    public EchoReply unary(EchoRequest request) throws Exception {
        Outcome outcome = unaryOutcome(request);
        if (!outcome.status().isOk()) {
            throw outcome.status().asException(outcome.trailers());
        }
        return outcome.replies().get(0);
    }

    public Outcome unaryOutcome(EchoRequest request) throws Exception {
        Collector collector = new Collector();
        stub.unary(request, collector);
        return collector.outcome();
    }

    public Outcome serverStream(EchoRequest request) throws Exception {
        Collector collector = new Collector();
        stub.serverStream(request, collector);
        return collector.outcome();
    }

    public Outcome clientStream(List<EchoRequest> requests) throws Exception {
        Collector collector = new Collector();
        StreamObserver<EchoRequest> out = stub.clientStream(collector);
        requests.forEach(out::onNext);
        out.onCompleted();
        return collector.outcome();
    }

    public Outcome bidi(List<EchoRequest> requests) throws Exception {
        Collector collector = new Collector();
        StreamObserver<EchoRequest> out = stub.bidi(collector);
        requests.forEach(out::onNext);
        out.onCompleted();
        return collector.outcome();
    }

    private static final class Collector implements StreamObserver<EchoReply> {
        private final List<EchoReply> replies = new CopyOnWriteArrayList<>();
        private final AtomicReference<Metadata> trailers = new AtomicReference<>(new Metadata());
        private final CompletableFuture<Status> end = new CompletableFuture<>();

        @Override
        public void onNext(EchoReply reply) {
            replies.add(reply);
        }

        @Override
        public void onError(Throwable t) {
            Metadata received = Status.trailersFromThrowable(t);
            if (received != null) {
                trailers.set(received);
            }
            end.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            end.complete(Status.OK);
        }

        Outcome outcome() throws Exception {
            Status status = end.get(WAIT_SECONDS, TimeUnit.SECONDS);
            return new Outcome(List.copyOf(replies), status, trailers.get());
        }
    }
}
