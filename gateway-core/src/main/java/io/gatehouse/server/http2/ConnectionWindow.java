package io.gatehouse.server.http2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;

/**
 * Right after the codec's SETTINGS: raises the connection's receive window from the protocol's 65,535 bytes to
 * {@code server.http2.initial_connection_window}, with a WINDOW_UPDATE on stream 0 (SETTINGS cannot change it), then
 * leaves the pipeline.
 */
final class ConnectionWindow extends ChannelInboundHandlerAdapter {
    private final int increment;

    ConnectionWindow(int increment) {
        this.increment = increment;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (increment > 0) {
            ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(increment));
        }
        ctx.pipeline().remove(this);
    }
}
