package io.gatehouse.pool;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * What both kinds of {@link ExchangeSlot} share as the last handler of their channel: the listener of the attempt
 * that holds the slot, which hears the end of each read and each change of writability, and the first failure seen.
 */
abstract sealed class ListenedSlot extends ChannelInboundHandlerAdapter implements ExchangeSlot
        permits UpstreamConnection, Http2StreamSlot {
    /** The attempt holding the slot, or null while nobody does. */
    UpstreamListener listener;
    /** The first failure of the channel; after it nothing more is relayed. */
    Throwable failure;

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (listener != null) {
            listener.onUpstreamReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (listener != null) {
            listener.onUpstreamWritabilityChanged(ctx.channel().isWritable());
        }
    }
}
