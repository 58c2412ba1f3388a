package io.gatehouse.pool;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an upstream channel and the pool's handle on it. While an exchange holds the connection
 * every event goes to that exchange; while the connection sits idle in the pool, any data or close simply ends
 * the connection.
 */
public final class UpstreamConnection extends ListenedSlot {
    private final BackendConnectionPool pool;
    private Channel channel;
    private int uses;
    /** Whether the connection sits in its pool's idle list; the pool's counts follow it. Pool-owned. */
    boolean idleInPool;

    UpstreamConnection(BackendConnectionPool pool) {
        this.pool = pool;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public boolean isReused() {
        return uses > 1;
    }

    void attach(UpstreamListener listener) {
        this.listener = listener;
        uses++;
    }

    @Override
    public void release(boolean reusable) {
        listener = null;
        if (reusable && channel.isActive()) {
            pool.offerIdle(this);
        } else {
            channel.close();
        }
    }

    /**
     * Takes the connection out of its pool for good, putting {@code replacement} in this handler's place: it carries
     * a WebSocket now. It stops counting against the pool's limits at once, is never lent again, and a retirement of
     * its backend (a reload) leaves it open.
     */
    public void leavePool(ChannelHandler replacement) {
        listener = null;
        pool.onClosed(this);
        channel.pipeline().replace(this, "websocket", replacement);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // After a failure nothing more is relayed: a decoder flushing a close-delimited body on the way down
        // must not turn a reset into a clean end.
        if (listener != null && failure == null && msg instanceof HttpObject httpObject) {
            listener.onUpstreamMessage(httpObject);
        } else {
            // Bytes from an idle connection answer no request: the connection is out of step; drop it.
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        // Idle eviction applies only to pooled connections; a busy one is governed by the exchange's timeouts.
        if (evt instanceof IdleStateEvent && listener == null) {
            ctx.close();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // The exchange hears of it from channelInactive, after the pool has counted the connection closed,
        // so that a retry sees the freed slot.
        if (failure == null) {
            failure = cause;
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pool.onClosed(this);
        UpstreamListener current = listener;
        listener = null;
        if (current != null) {
            current.onUpstreamClosed(failure);
        }
    }
}
