package io.gatehouse.proxy.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;

/**
 * One connection of a {@link Tunnel}, as its pipeline's handler where the HTTP codec was (client side) or last
 * (backend side), so it sees raw bytes whatever sits below (TLS included). It hands what it reads to the tunnel and
 * writes what the tunnel gives it. Bytes read while the tunnel is being set up (a codec's leftovers, handed on when
 * it is removed) wait here until {@link Tunnel#start}.
 */
final class TunnelEnd extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TunnelEnd.class);

    final String name;
    /** The frames this end sends into the tunnel. */
    final FrameTracker frames = new FrameTracker();
    private Tunnel tunnel;
    private Channel channel;
    private ArrayDeque<ByteBuf> early = new ArrayDeque<>(2);
    long bytesRead;
    /** The gateway wrote a close frame of its own into this connection: nothing more goes to it. */
    boolean closeInjected;
    /** A close frame of the gateway's is due here once the other end's stream is between two frames. */
    boolean injectPending;
    private boolean closing;
    boolean closed;

    TunnelEnd(String name) {
        this.name = name;
    }

    void attach(Tunnel tunnel, Channel channel) {
        this.tunnel = tunnel;
        this.channel = channel;
    }

    Channel channel() {
        return channel;
    }

    Tunnel tunnel() {
        return tunnel;
    }

    /** Relays what arrived before the tunnel started; from now on reads go straight through. */
    void start() {
        ArrayDeque<ByteBuf> waiting = early;
        early = null;
        boolean relayed = !waiting.isEmpty();
        ByteBuf buf;
        while ((buf = waiting.poll()) != null) {
            tunnel.relay(this, buf);
        }
        if (relayed) {
            tunnel.readComplete(this); // flushes: no read of this connection may be under way to do it
        }
        channel.config().setAutoRead(true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg); // the empty end a decoder gives the 101 before it is removed
        } else if (early != null) {
            early.add(buf);
        } else {
            tunnel.relay(this, buf);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (early == null) {
            tunnel.readComplete(this);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (early == null) {
            tunnel.writabilityChanged(this, ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("websocket tunnel: {} connection failed", name, cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        if (early != null) {
            early.forEach(ByteBuf::release);
            early.clear();
        }
        tunnel.endClosed(this);
        ctx.fireChannelInactive();
    }

    void write(ByteBuf buf) {
        channel.write(buf, channel.voidPromise());
    }

    void flush() {
        channel.flush();
    }

    /** Closes once everything written so far has gone out. */
    void closeAfterWrites() {
        if (!closing) {
            closing = true;
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    void closeNow() {
        channel.close();
    }

    void autoRead(boolean on) {
        channel.config().setAutoRead(on);
    }
}
