package io.gatehouse.proxy.downstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.SocketChannel;

import java.util.concurrent.TimeUnit;

/**
 * nginx's lingering close, for closing after a response while the client may still be sending its request body.
 * Closing a socket with unread input makes the kernel send a reset, which can destroy the response before the
 * client reads it; so the gateway half-closes, keeps reading and dropping for a short while, then closes.
 */
final class LingeringClose {
    /** How long the connection keeps reading and dropping before it closes anyway. */
    private static final long MILLIS = 2000;

    private LingeringClose() {}

    /**
     * Half-closes the connection and schedules the full close; the caller reads and drops meanwhile.
     *
     * @return false when the channel cannot half-close: close it at once instead
     */
    static boolean begin(ChannelHandlerContext ctx) {
        if (!(ctx.channel() instanceof SocketChannel socket)) {
            return false;
        }
        socket.shutdownOutput();
        ctx.executor().schedule(() -> ctx.close(), MILLIS, TimeUnit.MILLISECONDS);
        return true;
    }
}
