package io.gatehouse.bench;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps {@code concurrency} unary echo calls in flight over a few channels: each call that ends starts the next one
 * on the same channel (a closed loop, so the rate is what the target sustains). Calls that end while {@link
 * #measure()} is on are counted, with their latency; {@link #stop()} lets the ones in flight end.
 */
final class ClosedLoopCalls {
    private static final long CALL_DEADLINE_SECONDS = 10;
    private final List<ManagedChannel> channels;
    private final byte[] payload;
    private final ScheduledExecutorService retries;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder calls = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LatencyHistogram latencies = new LatencyHistogram();
    private final AtomicReference<Status> firstError = new AtomicReference<>();
    private volatile boolean measuring;
    private volatile boolean stopping;

    /** {@code retries}: where a failed call's successor is started, a millisecond later (see {@link #ended}). */
    ClosedLoopCalls(List<ManagedChannel> channels, byte[] payload, ScheduledExecutorService retries) {
        this.channels = List.copyOf(channels);
        this.payload = payload.clone();
        this.retries = retries;
    }

    void start(int concurrency) {
        for (int i = 0; i < concurrency; i++) {
            call(channels.get(i % channels.size()));
        }
    }

    void measure() {
        measuring = true;
    }

    /** Starts no new call and waits up to {@code timeoutMillis} for those in flight; false if some did not end. */
    boolean stop(long timeoutMillis) throws InterruptedException {
        measuring = false;
        stopping = true;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (inFlight.get() > 0 && System.nanoTime() < end) {
            Thread.sleep(10); // the tool's main thread, not a transport thread
        }
        return inFlight.get() == 0;
    }

    long calls() {
        return calls.sum();
    }

    long errors() {
        return errors.sum();
    }

    Status firstError() {
        return firstError.get();
    }

    LatencyHistogram latencies() {
        return latencies;
    }

    private void call(ManagedChannel channel) {
        inFlight.incrementAndGet();
        long start = System.nanoTime();
        ClientCalls.asyncUnaryCall(
                channel.newCall(GrpcEcho.UNARY,
                        CallOptions.DEFAULT.withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)),
                payload, new StreamObserver<>() {
                    @Override
                    public void onNext(byte[] response) {
                        if (response.length != payload.length) {
                            firstError.compareAndSet(null, Status.DATA_LOSS.withDescription(
                                    "echoed " + response.length + " bytes for " + payload.length));
                            if (measuring) {
                                errors.increment();
                            }
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        Status status = Status.fromThrowable(t);
                        if (!stopping) {
                            firstError.compareAndSet(null, status);
                        }
                        ended(channel, start, false);
                    }

                    @Override
                    public void onCompleted() {
                        ended(channel, start, true);
                    }
                });
    }

    private void ended(ManagedChannel channel, long start, boolean ok) {
        if (measuring) {
            if (ok) {
                calls.increment();
                latencies.record(System.nanoTime() - start);
            } else {
                errors.increment();
            }
        }
        if (!stopping) {
            if (ok) {
                call(channel);
            } else {
                // A failure can be reported within newCall().start() on this same thread (directExecutor): starting
                // the next call right here could recurse without bound and would spin on a target that refuses.
                retries.schedule(() -> call(channel), 1, TimeUnit.MILLISECONDS);
            }
        }
        inFlight.decrementAndGet();
    }
}
