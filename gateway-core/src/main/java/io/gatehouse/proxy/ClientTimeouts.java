package io.gatehouse.proxy;

import io.gatehouse.context.Rejection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Sits before the HTTP decoder and bounds the time between requests on a client connection: a keep-alive
 * connection with no request for {@code idle} is closed quietly; a client that starts a request head and does
 * not finish it within {@code request_header} gets 408 and is closed (the slowloris defence), answered by
 * {@link ClientConnectionHandler} on a {@link ClientRefusal} like every other refusal.
 * {@link ClientConnectionHandler} says when a head is complete and when the next request may begin.
 */
final class ClientTimeouts extends ChannelInboundHandlerAdapter {
    private static final ClientRefusal HEAD_TIMED_OUT = new ClientRefusal(Rejection.closing(
            HttpResponseStatus.REQUEST_TIMEOUT, "request_timeout", "request head not received in time"));

    private final long idleNanos;
    private final long requestHeaderNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private boolean awaitingHead = true;
    private boolean headStarted;

    ClientTimeouts(long idleNanos, long requestHeaderNanos) {
        this.idleNanos = idleNanos;
        this.requestHeaderNanos = requestHeaderNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(idleNanos);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (awaitingHead && !headStarted && msg instanceof ByteBuf buf && buf.isReadable()) {
            headStarted = true;
            arm(requestHeaderNanos);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    /** The decoder produced a complete request head: the request's own timeouts take over. */
    void headReceived() {
        awaitingHead = false;
        cancel();
    }

    /** The previous exchange is over; the connection now waits, idle, for the next request. */
    void awaitNextRequest() {
        awaitingHead = true;
        headStarted = false;
        arm(idleNanos);
    }

    private void arm(long nanos) {
        cancel();
        timer = ctx.executor().schedule(this::expired, nanos, TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expired() {
        timer = null;
        if (!awaitingHead || !ctx.channel().isActive()) {
            return;
        }
        if (!headStarted) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(HEAD_TIMED_OUT); // through the codec to the handler that answers every refusal
    }
}
