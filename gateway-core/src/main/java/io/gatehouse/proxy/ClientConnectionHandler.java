package io.gatehouse.proxy;

import io.gatehouse.context.ClientPeer;
import io.gatehouse.context.Rejection;
import io.gatehouse.context.RequestContext;
import io.gatehouse.security.Admission;
import io.gatehouse.security.AdmissionProgress;
import io.gatehouse.security.Principal;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * The terminal handler of a client connection. It serves one request at a time, taking messages from the
 * {@link SerialRequestHandler} backlog as its state allows.
 *
 * <p>Per request it validates the head, answers built-in endpoints, normalises and routes the path, picks a
 * backend and hands the rest to a {@link ProxyExchange}. Requests it answers itself (errors, built-ins) have the
 * rest of their body read and dropped, up to a bound, or the connection is closed, so leftover body bytes are
 * never parsed as a request.
 */
public final class ClientConnectionHandler extends SerialRequestHandler {
    /** AUTHENTICATING: the chain waits (signing keys, a Redis bucket); the body stays in the backlog meanwhile. */
    private enum State { AWAITING_HEAD, AUTHENTICATING, PROXYING, DISCARDING }

    private final GatewayRuntime runtime;
    private ChannelHandlerContext ctx;
    private Deadline responseDeadline;
    private State state = State.AWAITING_HEAD;
    private PeerJudgement peerJudgement;
    private ClientPeer peer;
    /** The configuration the current request read when its head arrived; it keeps it to its end. */
    private GatewaySnapshot snapshot;
    private RequestContext request;
    private final ResponseDecoration decoration = new ResponseDecoration();
    private ProxyExchange exchange;
    private boolean requestComplete;
    private boolean responseComplete;
    private boolean closeAfterResponse;
    private boolean http10Client;
    private final UnreadBody unreadBody = new UnreadBody();
    private final AdmissionProgress admission = new AdmissionProgress();
    private final RequestAccounting accounting;

    public ClientConnectionHandler(GatewayRuntime runtime) {
        this.runtime = runtime;
        this.accounting = new RequestAccounting(runtime);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        runtime.metrics().clientConnectionOpened();
        peerJudgement = new PeerJudgement(ctx.channel(), admission);
        resume();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        runtime.metrics().clientConnectionClosed();
        releaseBacklog();
        if (exchange != null) {
            exchange.onClientClosed();
        }
        if (request != null) {
            accounting.connectionLost(request); // 499, or the status that was sent, marked aborted
            request = null;
        }
    }

    @Override
    void readBatchComplete() {
        if (exchange != null) {
            exchange.flushUpstream(); // once per socket read, however many body parts it carried
        }
    }

    @Override
    boolean wantsMessage() {
        if (!ctx.channel().isActive()) {
            return false;
        }
        return switch (state) {
            case AWAITING_HEAD -> true;
            case AUTHENTICATING -> false;
            case PROXYING -> exchange != null && !requestComplete && exchange.wantsRequestBody();
            case DISCARDING -> !requestComplete;
        };
    }

    @Override
    void dispatch(Object msg) {
        switch (state) {
            case AWAITING_HEAD -> {
                if (msg instanceof HttpRequest head) {
                    onRequestHead(head);
                } else {
                    ReferenceCountUtil.release(msg); // a stray part of a request already answered
                }
            }
            case PROXYING -> {
                if (msg instanceof HttpContent content) {
                    // false until now (wantsMessage); a malformed part, which the exchange refuses, never completes it
                    requestComplete = content instanceof LastHttpContent && !RequestHeadValidator.isMalformed(content);
                    exchange.onRequestContent(content);
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }
            case DISCARDING -> discard(msg);
            case AUTHENTICATING -> throw new IllegalStateException("no message is wanted while authenticating");
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.onClientWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** A handler ahead of the codec (a timeout) refuses the request: answered here, like every refusal. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ClientRefusal refusal) {
            refuseAndClose(refusal.rejection());
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    /** Something threw: the client still gets an answer (400, 500) if it is owed one, and the connection closes. */
    @Override
    void failed(Throwable cause) {
        Rejection answer = ClientFailures.answerFor(cause, request != null ? request.requestId() : null, ctx.channel());
        if (answer != null) {
            refuseAndClose(answer);
        } else {
            ctx.close();
        }
    }

    /**
     * Refuses the request in progress, or the one whose head is still arriving (as a request of its own, so it too
     * gets an ID, the security headers and a log line), then closes. When a response is already under way there is
     * nothing left to say, and the connection is cut.
     */
    private void refuseAndClose(Rejection rejection) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (request == null && state == State.AWAITING_HEAD) {
            requestComplete = false; // whatever the client sends next is read and dropped until the close
            beginRequest(null);
        } else if (request == null) {
            ctx.close(); // the last response is complete; the rest of its request was being dropped
            return;
        }
        if (exchange != null) {
            exchange.onClientClosed(); // gives up on the backend (closing its connection), without a verdict
        }
        if (request.status() != 0) {
            abort(); // a response is under way: the client must see it cut off
        } else {
            reject(rejection);
        }
    }

    /** Graceful shutdown: close now if idle, otherwise after the current response. Runs on this channel's loop. */
    public void drain() {
        closeAfterResponse = true;
        if (state == State.AWAITING_HEAD && request == null) {
            ctx.close();
        }
    }

    private void onRequestHead(HttpRequest head) {
        // A malformed head is never complete: the decoder drops all input after it, so the connection lingers, closing.
        requestComplete = head instanceof LastHttpContent && !RequestHeadValidator.isMalformed(head);
        beginRequest(head);
        try {
            route(head);
        } finally {
            ReferenceCountUtil.release(head); // only a decoder's invalid-message placeholder carries content
        }
    }

    /** A new request: from its head, or ({@code head} null) one refused before its head was read. */
    private void beginRequest(HttpRequest head) {
        snapshot = runtime.snapshot(); // the one read: this request keeps it to its end, retries included
        peer = peerJudgement.under(snapshot.forwardedHeaders());
        responseComplete = false;
        admission.reset();
        HttpHeaders headers = head != null ? head.headers() : EmptyHttpHeaders.INSTANCE;
        boolean overTls = snapshot.forwardedHeaders().isOverTls(peer, headers);
        request = accounting.begin(snapshot, peer, head, overTls);
        http10Client = head != null && HttpVersion.HTTP_1_0.equals(head.protocolVersion());
        unreadBody.reset(head);
        timeouts().requestBegun(unreadBody.follows() && !requestComplete && !backlogHoldsLastPart(),
                unreadBody.awaitsContinue());
        decoration.reset(snapshot.responseHeaders(), request.requestId(), headers.get(HttpHeaderNames.ORIGIN),
                overTls, http10Client);
    }

    private void route(HttpRequest head) {
        if (!HttpUtil.isKeepAlive(head) || runtime.isDraining()) {
            closeAfterResponse = true;
        }
        RequestHeadRouter.Decision decision = RequestHeadRouter.decide(runtime, snapshot, head, request);
        accounting.countUnder(request, decision.route()); // a refusal once the route is known counts under it too
        accounting.traceRouting(decision, head);
        if (decision instanceof RequestHeadRouter.Proxy proxy) {
            decoration.cors(proxy.policy().cors());
            admit(head, proxy);
        } else if (decision instanceof RequestHeadRouter.Preflight preflight) {
            respondLocally(ErrorResponses.empty(ctx.alloc(), HttpResponseStatus.NO_CONTENT, preflight.headers()));
        } else if (decision instanceof RequestHeadRouter.BuiltIn builtIn) {
            respondLocally(BuiltInEndpoints.respond(runtime, builtIn.rawPath(), head, ctx.alloc(),
                    request.requestId()));
        } else if (decision instanceof RequestHeadRouter.Refuse refuse) {
            reject(refuse.rejection());
        }
    }

    /** Runs the route's security chain; while a step waits (keys, Redis), the request waits and reads nothing. */
    private void admit(HttpRequest head, RequestHeadRouter.Proxy proxy) {
        Admission outcome = proxy.policy().admit(head.headers(), request.clientAddress(), proxy.rawQuery(), admission);
        if (outcome instanceof Admission.Admitted admitted) {
            request.consumer(admitted.principal().logName());
            decoration.rateLimit(admitted.rateLimit());
            request.releaseOnFinish(admitted.release());
            proxy(head, proxy, admitted.principal());
        } else if (outcome instanceof Admission.Refused refused) {
            request.rateLimited(refused.rejection().status() == HttpResponseStatus.TOO_MANY_REQUESTS);
            reject(refused.rejection());
        } else if (outcome instanceof Admission.Waiting waiting) {
            state = State.AUTHENTICATING;
            RequestContext waitingFor = request;
            waiting.ready().whenComplete((ignored, error) -> ctx.executor().execute(() -> {
                if (request == waitingFor && state == State.AUTHENTICATING && ctx.channel().isActive()) {
                    try {
                        admit(head, proxy);
                    } catch (RuntimeException e) {
                        failed(e); // a task's exception would be logged and dropped, leaving the request hung
                    }
                }
            }));
        }
    }

    /** The response timer this connection's exchanges use, one after another: one task, not one per request. */
    Deadline responseDeadline() {
        return responseDeadline != null ? responseDeadline : (responseDeadline = new Deadline(ctx.executor()));
    }

    private void proxy(HttpRequest head, RequestHeadRouter.Proxy decision, Principal principal) {
        state = State.PROXYING;
        exchange = new ProxyExchange(this, ctx, runtime, snapshot, decision, head, request, principal,
                accounting.span());
        exchange.start(); // may answer at once (no backend available), which ends the exchange
        resume(); // a body the exchange reads before it takes a backend connection (after a wait to admit, too)
    }

    /**
     * The one way the gateway refuses a request: a JSON error, plus the rejection's extra header if any. A proxied
     * exchange calls this for its errors after releasing its upstream connection.
     */
    void reject(Rejection rejection) {
        if (rejection.close()) {
            closeAfterResponse = true;
        }
        accounting.refused(rejection);
        respondLocally(ErrorResponses.error(ctx.alloc(), rejection, request.requestId()));
    }

    /**
     * Answers the current request from the gateway itself. The rest of its body, if any, is read and dropped
     * (up to a bound) unless the connection is to close anyway.
     */
    private void respondLocally(FullHttpResponse response) {
        exchange = null;
        if (!requestComplete && unreadBody.closeInsteadOfReading()) {
            closeAfterResponse = true;
        }
        state = State.DISCARDING;
        timeouts().answeredLocally(!closeAfterResponse);
        request.status(response.status().code());
        request.addBytesOut(response.content().readableBytes());
        prepareResponseHead(response);
        ctx.writeAndFlush(response).addListener(this::onResponseWritten);
        if (!closeAfterResponse) {
            resume(); // read and drop the rest of the body
        }
    }

    /**
     * Called for every response head just before it is written: the request ID, CORS and security headers, and
     * the keep-alive headers.
     */
    void prepareResponseHead(HttpResponse response) {
        decoration.apply(response.headers(), closeAfterResponse);
    }

    boolean isHttp10Client() {
        return http10Client;
    }

    /** The client's connection must close once this response is done (e.g. the body could not be framed). */
    void closeAfterResponse() {
        closeAfterResponse = true;
    }

    /** The connection became a WebSocket tunnel ({@link WebSocketSwitch}), which owns the request and logs it. */
    RequestAccounting leaveHttp() {
        request = null;
        exchange = null;
        return accounting;
    }

    /** Called with the write of the last part of a response. */
    void onResponseWritten(io.netty.util.concurrent.Future<? super Void> write) {
        if (!write.isSuccess()) {
            ctx.close();
            return;
        }
        responseComplete = true;
        finishRequest(request.status());
        exchange = null;
        next();
    }

    /** The response was cut off after its head went out: the client must see an abort, not a clean end. */
    void abort() {
        exchange = null;
        ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0); // RST, so no client mistakes it for EOF
        ctx.close();
    }

    private void discard(Object msg) {
        switch (unreadBody.drop(msg)) {
            case READ_ON -> { }
            case BODY_READ -> {
                requestComplete = true;
                next();
            }
            case CLOSE_AFTER_RESPONSE -> {
                closeAfterResponse = true;
                next();
            }
            case CLOSE_NOW -> ctx.close();
        }
    }

    /** Closes after a response while the client may still be sending its body: a {@link LingeringClose}. */
    private void closeAfterLinger() {
        if (requestComplete || !unreadBody.linger(ctx)) {
            ctx.close();
            return;
        }
        state = State.DISCARDING;
        resume();
    }

    /** Moves on once both the response is written and the request is read: next request, or close. */
    private void next() {
        if (!responseComplete || !ctx.channel().isActive()) {
            return;
        }
        if (closeAfterResponse) {
            closeAfterLinger();
            return;
        }
        if (!requestComplete) {
            return; // still discarding the rest of the body
        }
        state = State.AWAITING_HEAD;
        timeouts().awaitNextRequest();
        resume();
    }

    private void finishRequest(int status) {
        if (request != null) {
            RequestContext done = request;
            request = null;
            accounting.finish(done, status);
        }
    }
}
