package io.gatehouse.proxy.downstream;

import io.gatehouse.context.ClientPeer;
import io.gatehouse.context.Rejection;
import io.gatehouse.context.RequestContext;
import io.gatehouse.grpc.GrpcErrors;
import io.gatehouse.grpc.GrpcRequests;
import io.gatehouse.proxy.ErrorResponses;
import io.gatehouse.proxy.GatewayRuntime;
import io.gatehouse.proxy.GatewaySnapshot;
import io.gatehouse.proxy.exchange.Deadline;
import io.gatehouse.proxy.exchange.Downstream;
import io.gatehouse.proxy.exchange.ProxyExchange;
import io.gatehouse.security.Admission;
import io.gatehouse.security.AdmissionProgress;
import io.gatehouse.security.Principal;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * What serving a client request is, whatever carries it: an HTTP/1.1 connection ({@link ClientConnectionHandler})
 * or an HTTP/2 stream. It takes messages from the {@link SerialRequestHandler} backlog as its state allows; per
 * request it validates the head, answers built-in endpoints, routes, runs the route's admission chain and hands the
 * rest to a {@link ProxyExchange}, to which it is the {@link Downstream}. Requests it answers itself (errors,
 * built-ins) have the rest of their body dropped as the subclass decides, so leftover bytes never pass for a request.
 *
 * <p>Subclasses frame responses for their protocol and decide what follows a response: the next request of the
 * connection, or the end of the stream.
 */
abstract class ClientRequestHandler extends SerialRequestHandler implements Downstream {
    /** AUTHENTICATING: the chain waits (signing keys, a Redis bucket); the body stays in the backlog meanwhile. */
    enum State { AWAITING_HEAD, AUTHENTICATING, PROXYING, DISCARDING }

    final GatewayRuntime runtime;
    ChannelHandlerContext ctx;
    State state = State.AWAITING_HEAD;
    /** The configuration the current request read when its head arrived; it keeps it to its end. */
    GatewaySnapshot snapshot;
    RequestContext request;
    final ResponseDecoration decoration = new ResponseDecoration();
    ProxyExchange exchange;
    boolean requestComplete;
    boolean responseComplete;
    /** The request is a gRPC call (by its content type, or its route's {@code grpc: true}): refused as one. */
    private boolean grpcCall;
    final RequestAccounting accounting;
    private final AdmissionProgress admission = new AdmissionProgress();
    private Deadline responseDeadline;
    private PeerJudgement peerJudgement;

    ClientRequestHandler(GatewayRuntime runtime) {
        this.runtime = runtime;
        this.accounting = new RequestAccounting(runtime);
    }

    /** The connection whose socket peer and TLS state the requests come with (a stream's parent). */
    abstract Channel connection();

    /** A new request begins ({@code head} null: refused before its head was read): protocol bookkeeping. */
    abstract void requestBegun(HttpRequest head);

    /** The head of a request to be answered is read: whether the client asked to close afterwards is noted. */
    abstract void headRead(HttpRequest head);

    /** The gateway answers the request itself: what becomes of the rest of its body. */
    abstract void answeringLocally();

    /** The part of a request answered locally that is still arriving: dropped, or the connection closed. */
    abstract void discard(Object msg);

    /** The response is written and the request ended: serve the next one, or end. */
    abstract void responseDone();

    /** Whether this response is the last on the connection, which it then says ({@code Connection: close}). */
    abstract boolean closesAfterResponse();

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        peerJudgement = new PeerJudgement(connection(), admission);
        resume();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
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

    /**
     * A handler ahead of this one refuses the request ({@link ClientTimeouts} on a connection, {@link StreamTimeouts}
     * on a stream: the body stopped coming): answered here, like every refusal.
     */
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
            refuse(rejection);
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
        ClientPeer peer = peerJudgement.under(snapshot.forwardedHeaders());
        responseComplete = false;
        admission.reset();
        HttpHeaders headers = head != null ? head.headers() : EmptyHttpHeaders.INSTANCE;
        boolean overTls = snapshot.forwardedHeaders().isOverTls(peer, headers);
        request = accounting.begin(snapshot, peer, head, overTls);
        grpcCall = GrpcRequests.isGrpc(headers);
        requestBegun(head);
        decoration.reset(snapshot.responseHeaders(), request.requestId(), headers.get(HttpHeaderNames.ORIGIN),
                overTls, !takesInterimResponses());
    }

    private void route(HttpRequest head) {
        headRead(head);
        RequestHeadRouter.Decision decision = RequestHeadRouter.decide(runtime, snapshot, head, request);
        accounting.countUnder(request, decision.route()); // a refusal once the route is known counts under it too
        grpcCall |= decision.route() != null && decision.route().route().config().grpc();
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
            refuse(refuse.rejection());
        }
    }

    /** Runs the route's security chain; while a step waits (keys, Redis), the request waits and reads nothing. */
    private void admit(HttpRequest head, RequestHeadRouter.Proxy proxy) {
        Admission outcome = proxy.policy().admit(head.headers(), request.clientAddress(), proxy.routed().rawQuery(),
                admission);
        if (outcome instanceof Admission.Admitted admitted) {
            request.consumer(admitted.principal().logName());
            decoration.rateLimit(admitted.rateLimit());
            request.releaseOnFinish(admitted.release());
            proxy(head, proxy, admitted.principal());
        } else if (outcome instanceof Admission.Refused refused) {
            request.rateLimited(refused.rejection().status() == HttpResponseStatus.TOO_MANY_REQUESTS);
            refuse(refused.rejection());
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

    private void proxy(HttpRequest head, RequestHeadRouter.Proxy decision, Principal principal) {
        state = State.PROXYING;
        exchange = new ProxyExchange(this, runtime, snapshot, decision.routed(), head, request, principal,
                accounting.span());
        exchange.start(); // may answer at once (no backend available), which ends the exchange
        resume(); // a body the exchange reads before it takes a backend connection (after a wait to admit, too)
    }

    /**
     * The one way the gateway refuses a request: a JSON error, plus the rejection's extra header if any; to a gRPC
     * call, the gRPC status a gRPC client can read instead ({@link GrpcErrors}).
     */
    @Override
    public void refuse(Rejection rejection) {
        if (rejection.close()) {
            closeAfterResponse();
        }
        accounting.refused(rejection);
        if (grpcCall) {
            request.grpcStatus(GrpcErrors.status(rejection).value());
            respondLocally(GrpcErrors.response(rejection));
        } else {
            respondLocally(ErrorResponses.error(ctx.alloc(), rejection, request.requestId()));
        }
    }

    /** The client's connection must close once this response is done (e.g. the body could not be framed). */
    abstract void closeAfterResponse();

    /** Answers the current request from the gateway itself; {@link #answeringLocally} says what of its body. */
    private void respondLocally(FullHttpResponse response) {
        exchange = null;
        state = State.DISCARDING;
        answeringLocally();
        request.status(response.status().code());
        request.addBytesOut(response.content().readableBytes());
        decorate(response);
        ctx.writeAndFlush(response).addListener(this::onResponseWritten);
        if (!closesAfterResponse()) {
            resume(); // read and drop the rest of the body
        }
    }

    /** The gateway's response headers (request ID, CORS, security, rate limit, Connection) on a final head. */
    final void decorate(HttpResponse response) {
        decoration.apply(response.headers(), closesAfterResponse());
    }

    /** Called with the write of the last part of a response. */
    final void onResponseWritten(io.netty.util.concurrent.Future<? super Void> write) {
        if (!write.isSuccess()) {
            ctx.close();
            return;
        }
        responseComplete = true;
        if (request != null) {
            RequestContext done = request;
            request = null;
            accounting.finish(done, done.status());
        }
        exchange = null;
        responseDone();
    }

    @Override
    public final EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    @Override
    public final ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    @Override
    public final Deadline responseDeadline() {
        return responseDeadline != null ? responseDeadline : (responseDeadline = new Deadline(ctx.executor()));
    }

    @Override
    public final void resumeReading() {
        resume();
    }

    @Override
    public final void sendResponsePart(HttpContent part) {
        ctx.write(part, ctx.voidPromise());
    }

    @Override
    public final void flushResponse() {
        ctx.flush();
    }

    @Override
    public final boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public final void sendResponseEnd(LastHttpContent last) {
        ctx.writeAndFlush(last).addListener(this::onResponseWritten);
    }
}
