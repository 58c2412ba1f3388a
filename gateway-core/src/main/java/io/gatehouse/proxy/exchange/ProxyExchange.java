package io.gatehouse.proxy.exchange;

import io.gatehouse.config.RetryConfig.Condition;
import io.gatehouse.context.Rejection;
import io.gatehouse.context.RequestContext;
import io.gatehouse.grpc.GrpcCall;
import io.gatehouse.pool.ExchangeSlot;
import io.gatehouse.pool.UpstreamConnection;
import io.gatehouse.proxy.GatewayRuntime;
import io.gatehouse.proxy.GatewaySnapshot;
import io.gatehouse.proxy.RouteTarget;
import io.gatehouse.route.Route;
import io.gatehouse.security.Principal;
import io.gatehouse.tracing.RequestSpan;
import io.gatehouse.upstream.Backend;
import io.gatehouse.upstream.Choice;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * One request proxied to its pool: one or more attempts, each on a backend the pool chose and reserved, sending the
 * request body up (read whole first when small, see {@link RequestBodyIntake}) and the response down chunk by
 * chunk. Reading on each side pauses while the other side is not writable. All runs on the client's event loop.
 *
 * <p>An attempt that fails before the response is committed (connect failure, reset, response timeout, a 502, 503
 * or 504, or a gRPC call's trailers-only status, that the route retries) is retried after a backoff on another
 * backend when the {@code RetryPolicy} and budget allow and the body sent can be replayed ({@link BodyReplay}). Once
 * a response head is taken nothing is retried: a failure then resets the client, so the cut is visible, or gives a
 * 502 while the head is still held back ({@link ResponseRelay}). A stale pooled connection or a never-processed
 * HTTP/2 stream is resent once outside the policy ({@link SlotRetry}). A gRPC call's {@code grpc-timeout} bounds
 * it, each attempt telling its backend the time left ({@link GrpcCall}). 1xx: {@link InterimResponses}.
 */
public final class ProxyExchange implements ExchangeTimers.Expiry {
    private final Downstream downstream;
    private final RouteTarget target;
    private final Route route;
    private final GatewayRuntime runtime;
    private final String originalHost;
    private final HttpRequest upstreamRequest;
    private final boolean resendable; // once it reached a backend: never for a WebSocket upgrade
    private final boolean upgrade;
    private final GrpcCall grpc;
    private final RequestContext request;
    private final BodyReplay replay;
    private final UpstreamRequestWriter writer;
    private final RequestBodyIntake body;
    private final InterimResponses interim;
    private final UpstreamFailures failures;
    private final ExchangeTimers timers;
    private final Attempts attempts;
    private final AttemptSlot upstream = new AttemptSlot();
    private ScheduledFuture<?> retryTimer;
    private final ResponseRelay relay;
    private final SlotRetry slotRetry = new SlotRetry();
    private boolean done;

    /** @param snapshot the configuration the request read when its head arrived; trace its SERVER span or null */
    public ProxyExchange(Downstream downstream, GatewayRuntime runtime, GatewaySnapshot snapshot,
                  RoutedRequest decision, HttpRequest head,
                  RequestContext request, Principal principal, RequestSpan trace) {
        this.downstream = downstream;
        this.runtime = runtime;
        this.originalHost = decision.host();
        this.route = decision.matched().route();
        this.target = decision.route().target();
        this.request = request;
        this.upgrade = decision.upgrade();
        this.grpc = decision.grpc();
        this.resendable = !upgrade && target.retry().resendable(head.method());
        this.replay = new BodyReplay(downstream.alloc(), route.config().requestBuffering(), head,
                SlotRetry.keepsBody(resendable, target), grpc);
        this.timers = new ExchangeTimers(downstream.eventLoop(), downstream.responseDeadline(), target.timeouts(),
                this);
        this.attempts = new Attempts(target.pool(), target.retry(), resendable, target.breaker(), trace,
                head.headers());
        this.relay = new ResponseRelay(downstream, request, timers, HttpMethod.HEAD.equals(head.method()), grpc);
        this.upstreamRequest = head;
        this.interim = new InterimResponses(downstream);
        this.failures = runtime.upstreamFailures();
        this.writer = new UpstreamRequestWriter(downstream, interim, head, replay, timers);
        this.body = new RequestBodyIntake(writer, replay, request, snapshot.server().limits().maxBodyBytes());
        MessageHeads.prepareUpstreamRequest(head, decision, snapshot, request, principal);
    }

    public void start() {
        timers.requestStarted(request.startNanos(), grpc.timeoutNanos());
        if (upgrade) {
            downstream.awaitUpgradeAnswer();
        }
        if (!body.buffersFirst()) {
            firstAttempt(); // else no backend is chosen, nor a connection taken, until the body is read
        }
    }

    private void firstAttempt() {
        Choice choice = attempts.first();
        if (choice instanceof Choice.Chosen chosen) {
            startAttempt(chosen);
        } else {
            fail(UpstreamRejections.refusal((Choice.Unavailable) choice, target, request));
        }
    }

    private void startAttempt(Choice.Chosen chosen) {
        retryTimer = null;
        attempts.begin(chosen);
        Backend backend = chosen.backend();
        Attempts.noteBackend(request, backend);
        MessageHeads.setUpstreamHost(upstreamRequest, route, backend, originalHost);
        grpc.prepareAttempt(upstreamRequest.headers(), timers.requestNanosLeft());
        upstream.ask(runtime.connectionPools().get(downstream.eventLoop(), backend, target.pool().config()),
                new AttemptListener(this, timers.connectTimeoutMillis()));
        acquire(false);
    }

    private void acquire(boolean fresh) {
        request.attemptStarted();
        timers.attemptStarted();
        upstream.acquire(fresh);
    }

    boolean isCurrent(AttemptListener candidate) {
        return upstream.isCurrent(candidate);
    }

    void onAcquired(ExchangeSlot connection) {
        upstream.lent(connection);
        attempts.connected(connection.channel());
        request.upstreamRequestSent();
        writer.begin(connection.channel());
        downstream.resumeReading(); // last: the next body part may be delivered right inside this call
    }

    void onAcquireFailed(Throwable cause, boolean exhausted) {
        if (done) {
            return;
        }
        if (exhausted) {
            fail(failures.poolBusy(request, cause)); // our own limit, not the backend's fault: no verdict, no retry
            return;
        }
        target.pool().reportConnectFailure(attempts.backend(), cause);
        attemptFailed(Condition.CONNECT_FAILURE, failures.connectFailed(request, cause));
    }

    /** A part of the request body from the client. This exchange owns it. */
    public void onRequestContent(HttpContent content) {
        if (done) {
            content.release();
            return;
        }
        switch (body.take(content)) {
            case READ_ON -> { }
            case START_ATTEMPT -> firstAttempt();
            case REFUSE -> failOrAbort(body.refusal());
        }
    }

    /** Flushes the body parts of one client read batch together. */
    public void flushUpstream() {
        writer.flush();
    }

    /** Whether the client's next body part is wanted now; the client reads only while this holds. */
    public boolean wantsRequestBody() {
        return !done && body.wantsBody();
    }

    /** The upstream connection drained: the client's body may flow again. */
    void onUpstreamWritable() {
        writer.upstreamWritabilityChanged();
        downstream.resumeReading();
    }

    public void onClientWritabilityChanged(boolean writable) {
        if (writable && relay.isStarted() && upstream.slot() != null && !done) {
            relay.clientWritable();
        }
    }

    void onUpstreamMessage(HttpObject msg) {
        if (done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response && !onResponseHead(response)) {
            return;
        }
        if (msg instanceof HttpContent content && !interim.swallowsEnd(content)) {
            onResponseContent(content);
        }
    }

    /** @return whether the message should go on to content handling */
    private boolean onResponseHead(HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            ReferenceCountUtil.release(response);
            attemptFailed(null, failures.invalidResponse(request, response.decoderResult().cause()));
            return false;
        }
        int code = response.status().code();
        attempts.responded(code);
        if (code < 200) {
            if (upgrade && WebSocketUpgrade.isAccepted(response)) {
                attempts.committed(code);
                endedCleanly(); // its pool forgets the connection: no close of the exchange's reaches it any more
                // HTTP/2 has no 101: only an HTTP/1.1 connection gets here
                downstream.openTunnel(response, (UpstreamConnection) upstream.slot(), route, target.meters(), request);
            } else if (!interim.relay(response)) {
                attemptFailed(null, failures.switchedProtocols(request)); // the connection is closed, not reused
            }
            return false;
        }
        Condition condition = target.retry().conditionOf(response, grpc.isGrpc());
        Choice.Chosen next = attempts.retryAfter(condition, replay, timers.requestNanosLeft());
        if (next != null) {
            ReferenceCountUtil.release(response); // its body, if any, goes with the closed connection
            timers.cancelAttempt();
            releaseUpstream(false);
            retry(next);
            return false;
        }
        attempts.committed(code);
        replay.release(); // committed to this response: no more retries
        request.upstreamHeadersReceived();
        runtime.metrics().recordUpstream(target.upstreamTimer(), request);
        relay.start(response, upstream.slot().channel(), writer.isComplete());
        return true;
    }

    private void onResponseContent(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            content.release(); // its decoder result stays readable
            brokenOff("malformed body", content.decoderResult().cause());
            return;
        }
        if (!(content instanceof LastHttpContent last)) {
            relay.relay(content);
            return;
        }
        endedCleanly();
        releaseUpstream(writer.isComplete() && relay.mayReuseUpstream());
        relay.finish(last);
    }

    void onUpstreamReadComplete() {
        if (!done && upstream.slot() != null && relay.isStarted()) {
            relay.readComplete();
        }
    }

    void onUpstreamClosed(Throwable cause) {
        ExchangeSlot closed = upstream.closed();
        writer.detach();
        if (done) {
            return;
        }
        if (relay.isStarted()) {
            brokenOff("connection closed", cause);
            return;
        }
        if (slotRetry.take(closed, cause, resendable, replay)) {
            acquire(true);
            return;
        }
        attemptFailed(Condition.RESET_BEFORE_RESPONSE, failures.closedBeforeResponse(request, cause));
    }

    @Override
    public void responseTimedOut() {
        if (!done && !relay.isStarted()) {
            attemptFailed(Condition.STATUS_504, failures.responseTimedOut(request, timers.responseTimeoutMillis()));
        }
    }

    @Override
    public void idleTimedOut() {
        if (!done) {
            brokenOff("no data within idle_timeout", null);
        }
    }

    @Override
    public void requestTimedOut() {
        if (!done && !relay.isStarted() && body.wantsBody()) {
            failOrAbort(RequestBodyIntake.REQUEST_NOT_RECEIVED); // the client's body is late: not the route's failure
        } else if (!done) {
            attempts.requestOutcome(true);
            failOrAbort(failures.requestTimedOut(request, timers.requestTimeoutMillis()));
        }
    }

    private void endedCleanly() {
        done = true;
        timers.cancelAll();
        attempts.responseEnded(false);
        attempts.release();
    }

    /** The client went away: give up on the backend too. */
    public void onClientClosed() {
        if (!done) {
            finish();
        }
    }

    /** The current attempt failed before a response was committed: retry it if allowed, else answer. */
    private void attemptFailed(Condition condition, Rejection answer) {
        endAttempt(condition);
        Choice.Chosen next = attempts.retryAfter(condition, replay, timers.requestNanosLeft());
        if (next != null) {
            retry(next);
        } else {
            attempts.requestOutcome(true);
            fail(answer);
        }
    }

    private void retry(Choice.Chosen next) {
        long backoff = attempts.retrying(next);
        if (backoff == 0) {
            startAttempt(next);
        } else {
            retryTimer = downstream.eventLoop().schedule(() -> startAttempt(next), backoff, TimeUnit.NANOSECONDS);
        }
    }

    /** Ends the current attempt as failed (unless already judged) and closes its connection. */
    private void endAttempt(Condition condition) {
        timers.cancelAttempt();
        attempts.failed(condition);
        attempts.release();
        dropConnection();
    }

    /** Ends the exchange with the gateway's own error response; the upstream connection is closed, not pooled. */
    private void fail(Rejection rejection) {
        finish();
        downstream.refuse(rejection);
    }

    /** Answers with {@code rejection}, or resets the client if a response head already went to it. */
    private void failOrAbort(Rejection rejection) {
        if (relay.isHeadSent()) {
            abortClient();
        } else {
            fail(rejection);
        }
    }

    /**
     * The backend broke off a response under way ({@code how}, {@code cause} or null), and is judged for it. The
     * client sees the cut, or a 502 when the head was still held back ({@link ResponseRelay}).
     */
    private void brokenOff(String how, Throwable cause) {
        attempts.responseEnded(true);
        failOrAbort(failures.brokenOff(request, how, cause));
    }

    private void abortClient() {
        finish();
        downstream.abort();
    }

    private void finish() {
        done = true;
        timers.cancelAll();
        if (retryTimer != null) {
            retryTimer.cancel(false);
            retryTimer = null;
        }
        replay.release();
        relay.discard();
        attempts.close();
        dropConnection();
    }

    /** Closes the attempt's connection, or withdraws its request for one. */
    private void dropConnection() {
        if (upstream.slot() != null) {
            writer.detach();
        }
        upstream.drop();
    }

    private void releaseUpstream(boolean reusable) {
        writer.detach();
        upstream.release(reusable);
    }
}
