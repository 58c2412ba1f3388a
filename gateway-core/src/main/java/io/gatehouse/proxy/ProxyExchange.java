package io.gatehouse.proxy;

import io.gatehouse.context.Rejection;
import io.gatehouse.context.RequestContext;
import io.gatehouse.pool.BackendConnectionPool;
import io.gatehouse.pool.PoolExhaustedException;
import io.gatehouse.pool.UpstreamConnection;
import io.gatehouse.route.Route;
import io.gatehouse.security.Principal;
import io.gatehouse.security.UpstreamIdentity;
import io.gatehouse.upstream.Backend;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * One request proxied to one backend: acquires a connection from the client loop's own pool, streams the request
 * body up and the response down chunk by chunk, and maps every failure to the right answer. Reading on each side
 * pauses while the other side is not writable, so neither direction buffers much more than the channels'
 * write-buffer water marks. Everything runs on the client channel's event loop, which the upstream connection
 * shares.
 *
 * <p>Failure mapping: no connection (refused, reset, pool full) → 502/503; no response head before the route
 * timeout → 504 and the connection is closed; the backend fails after the response head went out → the client
 * connection is reset, so the truncation is visible. A pooled connection that turns out stale before any
 * response byte is retried once on a fresh connection, for idempotent requests without a body only.
 */
final class ProxyExchange implements io.gatehouse.pool.AcquireListener {
    private final ClientConnectionHandler client;
    private final ChannelHandlerContext clientCtx;
    private final RouteTarget target;
    private final Route route;
    private final GatewayRuntime runtime;
    private final String originalHost;
    private Backend backend;
    private final HttpRequest upstreamRequest;
    private final RequestContext request;
    private final boolean expectContinue;
    private final boolean retryable;
    private final boolean headRequest;
    private final long maxBodyBytes;
    private BackendConnectionPool pool;
    private UpstreamConnection upstream;
    private ScheduledFuture<?> responseTimer;
    private long requestBodyBytes;
    private boolean lastContentSent;
    private boolean responseStarted;
    private boolean skippingInterimResponse;
    private boolean upstreamKeepAlive;
    private boolean waitingForClientWritable;
    private boolean retried;
    private boolean switchedBackend;
    private boolean upstreamFlushPending;
    private boolean done;

    ProxyExchange(ClientConnectionHandler client, ChannelHandlerContext clientCtx, GatewayRuntime runtime,
                  RouteTarget target, RequestHeadRouter.Proxy decision, Backend backend, HttpRequest head,
                  RequestContext request, Principal principal) {
        this.client = client;
        this.runtime = runtime;
        this.originalHost = decision.host();
        Route route = decision.matched().route();
        this.clientCtx = clientCtx;
        this.target = target;
        this.route = route;
        this.request = request;
        this.maxBodyBytes = runtime.server().limits().maxBodyBytes();
        this.expectContinue = HttpUtil.is100ContinueExpected(head);
        this.headRequest = HttpMethod.HEAD.equals(head.method());
        boolean hasBody = HttpUtil.isTransferEncodingChunked(head) || HttpUtil.getContentLength(head, 0L) > 0;
        this.retryable = !hasBody && Idempotency.isIdempotent(head.method());
        this.upstreamRequest = head;
        UpstreamIdentity identity = runtime.security().upstreamIdentity();
        MessageHeads.prepareUpstreamRequest(head, route, decision.path(), identity.upstreamQuery(decision.rawQuery()),
                runtime.forwardedHeaders(), request.client(), originalHost);
        identity.apply(head.headers(), principal);
        head.headers().set(ResponseHeaders.X_REQUEST_ID, request.requestId());
        useBackend(backend);
    }

    void start() {
        responseTimer = clientCtx.executor().schedule(this::onResponseTimeout, route.timeout().toNanos(),
                TimeUnit.NANOSECONDS);
        acquire(false);
    }

    private void acquire(boolean fresh) {
        request.attemptStarted();
        pool.acquire(this, fresh);
    }

    @Override
    public void onAcquired(UpstreamConnection connection) {
        if (done) {
            connection.release(true); // nothing was sent on it: still clean
            return;
        }
        upstream = connection;
        request.upstreamRequestSent();
        writeUpstream(upstreamRequest);
        if (client.isRequestComplete()) {
            // A retry of a body-less request whose end the client already sent.
            lastContentSent = true;
            writeUpstream(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        if (expectContinue && !retried) {
            clientCtx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        client.resume(); // last: the next body part may be delivered right inside this call
    }

    @Override
    public void onAcquireFailed(Throwable cause, boolean exhausted) {
        if (done) {
            return;
        }
        if (exhausted) {
            fail(HttpResponseStatus.SERVICE_UNAVAILABLE, "upstream_busy", cause.getMessage());
            return;
        }
        target.pool().reportConnectFailure(backend, cause);
        // Nothing reached the backend, so any method may go to another one; once, to bound the delay.
        Backend alternative = switchedBackend ? null : target.pool().pickOtherThan(backend);
        if (alternative == null) {
            fail(HttpResponseStatus.BAD_GATEWAY, "bad_gateway",
                    "cannot connect to backend " + backend + ": " + describe(cause));
            return;
        }
        switchedBackend = true;
        backend.requestFinished();
        useBackend(alternative);
        acquire(false);
    }

    private void useBackend(Backend chosen) {
        backend = chosen;
        backend.requestStarted();
        request.backend(backend.address());
        MessageHeads.setUpstreamHost(upstreamRequest, route, backend, originalHost);
        pool = runtime.connectionPools().get(clientCtx.channel().eventLoop(), backend, target.pool().config());
    }

    /** A part of the request body from the client. This exchange owns it. */
    void onRequestContent(HttpContent content) {
        if (done || upstream == null) {
            // Finished, or between a stale connection and its retry (body-less requests only).
            content.release();
            return;
        }
        int bytes = content.content().readableBytes();
        requestBodyBytes += bytes;
        request.addBytesIn(bytes);
        if (requestBodyBytes > maxBodyBytes) {
            content.release();
            client.closeAfterResponse();
            if (responseStarted) {
                abortClient();
            } else {
                fail(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                        "request body exceeds the limit of " + maxBodyBytes + " bytes");
            }
            return;
        }
        if (content instanceof LastHttpContent) {
            lastContentSent = true;
        }
        writeUpstream(content);
    }

    /**
     * Writes towards the backend. Inside a client read batch the flush waits for the batch's end
     * ({@link #flushUpstream}), so a request's head and body parts from one socket read go out in one flush;
     * otherwise, or once the connection's buffer is full, it flushes at once.
     */
    private void writeUpstream(Object msg) {
        Channel channel = upstream.channel();
        channel.write(msg, channel.voidPromise());
        if (client.inReadBatch() && channel.isWritable()) {
            upstreamFlushPending = true;
        } else {
            channel.flush();
        }
    }

    void flushUpstream() {
        if (upstreamFlushPending && upstream != null) {
            upstreamFlushPending = false;
            upstream.channel().flush();
        }
    }

    /** Whether the client's next body part can go upstream now; the client reads only while this holds. */
    boolean wantsRequestBody() {
        return !done && upstream != null && !lastContentSent && upstream.channel().isWritable();
    }

    /** The client sent a malformed body (e.g. a bad chunk size): nothing more on this connection can be trusted. */
    void onRequestBodyInvalid() {
        client.closeAfterResponse();
        if (responseStarted) {
            abortClient();
        } else {
            fail(HttpResponseStatus.BAD_REQUEST, "bad_request", "malformed request body");
        }
    }

    @Override
    public void onUpstreamWritabilityChanged(boolean writable) {
        if (writable) {
            client.resume();
        }
    }

    void onClientWritabilityChanged(boolean writable) {
        if (writable && waitingForClientWritable && upstream != null && !done) {
            waitingForClientWritable = false;
            upstream.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void onUpstreamMessage(HttpObject msg) {
        if (done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response && !onResponseHead(response)) {
            return;
        }
        if (msg instanceof HttpContent content) {
            onResponseContent(content);
        }
    }

    /** @return whether the message should go on to content handling */
    private boolean onResponseHead(HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            ReferenceCountUtil.release(response);
            fail(HttpResponseStatus.BAD_GATEWAY, "bad_gateway",
                    "invalid response from backend " + backend + ": " + describe(response.decoderResult().cause()));
            return false;
        }
        int code = response.status().code();
        if (code < 200) {
            // 1xx interim responses (the gateway already answered any 100-continue) are not relayed.
            skippingInterimResponse = true;
            ReferenceCountUtil.release(response);
            return false;
        }
        skippingInterimResponse = false;
        cancelResponseTimer();
        request.upstreamHeadersReceived();
        target.upstreamTimer().record(request.upstreamNanos(), TimeUnit.NANOSECONDS);
        upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        responseStarted = true;
        request.status(code);
        if (MessageHeads.prepareClientResponse(response, client.isHttp10Client(), headRequest)) {
            client.closeAfterResponse();
        }
        if (!lastContentSent) {
            // The backend answered before the whole body reached it: neither connection can be reused safely.
            client.closeAfterResponse();
        }
        client.prepareResponseHead(response);
        clientCtx.write(response, clientCtx.voidPromise());
        return true;
    }

    private void onResponseContent(HttpContent content) {
        if (skippingInterimResponse) {
            content.release();
            return;
        }
        if (content.decoderResult().isFailure()) {
            content.release();
            abortClient();
            return;
        }
        request.addBytesOut(content.content().readableBytes());
        if (!(content instanceof LastHttpContent)) {
            clientCtx.write(content, clientCtx.voidPromise());
            return;
        }
        done = true;
        cancelResponseTimer();
        backend.requestFinished();
        releaseUpstream(lastContentSent && upstreamKeepAlive);
        clientCtx.writeAndFlush(content).addListener(client::onResponseWritten);
    }

    @Override
    public void onUpstreamReadComplete() {
        if (done || upstream == null) {
            return;
        }
        if (responseStarted) {
            clientCtx.flush();
        }
        // The upstream reads on its own until the client falls behind; then it pauses until the client drains.
        if (!clientCtx.channel().isWritable()) {
            waitingForClientWritable = true;
            upstream.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void onUpstreamClosed(Throwable cause) {
        UpstreamConnection closed = upstream;
        upstream = null;
        if (done) {
            return;
        }
        if (responseStarted) {
            abortClient();
            return;
        }
        if (retryable && !retried && closed != null && closed.isReused()) {
            retried = true;
            acquire(true);
            return;
        }
        fail(HttpResponseStatus.BAD_GATEWAY, "bad_gateway", cause == null
                ? "backend " + backend + " closed the connection before responding"
                : "connection to backend " + backend + " failed: " + describe(cause));
    }

    private void onResponseTimeout() {
        responseTimer = null;
        if (done || responseStarted) {
            return;
        }
        fail(HttpResponseStatus.GATEWAY_TIMEOUT, "gateway_timeout",
                "backend " + backend + " did not respond within " + route.timeout().toMillis() + " ms");
    }

    /** The client went away: give up on the backend too. */
    void onClientClosed() {
        if (done) {
            return;
        }
        finish();
    }

    /** Ends the exchange with the gateway's own error response; the upstream connection is closed, not pooled. */
    private void fail(HttpResponseStatus status, String code, String message) {
        finish();
        client.reject(Rejection.of(status, code, message));
    }

    private void abortClient() {
        finish();
        client.abort();
    }

    private void finish() {
        done = true;
        cancelResponseTimer();
        backend.requestFinished();
        if (upstream != null) {
            releaseUpstream(false);
        } else {
            pool.cancel(this);
        }
    }

    private void releaseUpstream(boolean reusable) {
        flushUpstream();
        UpstreamConnection connection = upstream;
        upstream = null;
        connection.release(reusable);
    }

    private void cancelResponseTimer() {
        if (responseTimer != null) {
            responseTimer.cancel(false);
            responseTimer = null;
        }
    }

    private static String describe(Throwable cause) {
        if (cause instanceof PoolExhaustedException) {
            return cause.getMessage();
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
