package io.gatehouse.proxy.downstream;

import io.gatehouse.context.RequestContext;
import io.gatehouse.metrics.RouteMeters;
import io.gatehouse.pool.UpstreamConnection;
import io.gatehouse.proxy.GatewayRuntime;
import io.gatehouse.proxy.exchange.MessageHeads;
import io.gatehouse.route.Route;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The terminal handler of an HTTP/1.x client connection: one request at a time (pipelined ones wait in the
 * {@link SerialRequestHandler} backlog), each served as {@link ClientRequestHandler} says. What is HTTP/1.1's own
 * lives here: keep-alive and {@code Connection: close}, the body framing of each response for this client
 * ({@link MessageHeads#frameForClient}), the rest of a body a local answer left unread (read and dropped up to a
 * bound, or the connection closed, lingering), the client timeouts of the connection, and WebSocket upgrades.
 */
public final class ClientConnectionHandler extends ClientRequestHandler {
    private boolean closeAfterResponse;
    private boolean http10Client;
    private final UnreadBody unreadBody = new UnreadBody();

    public ClientConnectionHandler(GatewayRuntime runtime) {
        super(runtime);
    }

    @Override
    Channel connection() {
        return ctx.channel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        runtime.metrics().clientConnectionOpened();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        runtime.metrics().clientConnectionClosed();
        super.channelInactive(ctx);
    }

    /** Graceful shutdown: close now if idle, otherwise after the current response. Runs on this channel's loop. */
    public void drain() {
        closeAfterResponse = true;
        if (state == State.AWAITING_HEAD && request == null) {
            ctx.close();
        }
    }

    @Override
    void requestBegun(HttpRequest head) {
        http10Client = head != null && HttpVersion.HTTP_1_0.equals(head.protocolVersion());
        unreadBody.reset(head);
        timeouts().requestBegun(unreadBody.follows() && !requestComplete && !backlogHoldsLastPart(),
                unreadBody.awaitsContinue());
    }

    @Override
    void headRead(HttpRequest head) {
        if (!HttpUtil.isKeepAlive(head) || runtime.isDraining()) {
            closeAfterResponse = true;
        }
    }

    @Override
    void answeringLocally() {
        if (!requestComplete && unreadBody.closeInsteadOfReading()) {
            closeAfterResponse = true;
        }
        timeouts().answeredLocally(!closeAfterResponse);
    }

    @Override
    boolean closesAfterResponse() {
        return closeAfterResponse;
    }

    @Override
    void closeAfterResponse() {
        closeAfterResponse = true;
    }

    @Override
    public boolean takesInterimResponses() {
        return !http10Client;
    }

    @Override
    public void sendInterim(FullHttpResponse interim) {
        if (interim.status().code() == 100) {
            timeouts().continueSent(); // the client was told to send its body, whose pace is timed from now on
        }
        ctx.writeAndFlush(interim, ctx.voidPromise());
    }

    @Override
    public void sendResponseHead(HttpResponse head, boolean headRequest, boolean requestComplete) {
        if (MessageHeads.frameForClient(head, http10Client, headRequest) || !requestComplete) {
            closeAfterResponse = true;
        }
        decorate(head);
        ctx.write(head, ctx.voidPromise());
    }

    /** Cut off with a reset, so no client mistakes the end of the connection for the end of the body. */
    @Override
    public void abort() {
        exchange = null;
        ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        ctx.close();
    }

    @Override
    public void awaitUpgradeAnswer() {
        holdReading();
        closeAfterResponse = true;
    }

    @Override
    public void openTunnel(HttpResponse switched, UpstreamConnection upstream, Route route, RouteMeters meters,
                           RequestContext request) {
        this.request = null; // the tunnel owns the request now, and logs it when it ends
        exchange = null;
        WebSocketSwitch.open(this, ctx, runtime, accounting, route, meters, switched, upstream, request);
    }

    @Override
    void discard(Object msg) {
        switch (unreadBody.drop(msg)) {
            case READ_ON -> { }
            case BODY_READ -> {
                requestComplete = true;
                responseDone();
            }
            case CLOSE_AFTER_RESPONSE -> {
                closeAfterResponse = true;
                responseDone();
            }
            case CLOSE_NOW -> ctx.close();
        }
    }

    /** Moves on once both the response is written and the request is read: next request, or close. */
    @Override
    void responseDone() {
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

    /** Closes after a response while the client may still be sending its body: a {@link LingeringClose}. */
    private void closeAfterLinger() {
        if (requestComplete || !unreadBody.linger(ctx)) {
            ctx.close();
            return;
        }
        state = State.DISCARDING;
        resume();
    }
}
