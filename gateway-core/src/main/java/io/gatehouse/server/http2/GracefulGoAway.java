package io.gatehouse.server.http2;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Ends an HTTP/2 connection gracefully: a GOAWAY (NO_ERROR) whose last-stream-id is the last stream the client
 * opened, so the streams in progress finish and later ones are known not to have been processed (the client retries
 * them on a new connection); the connection closes when its last stream closes. That happens
 * <ul>
 *   <li>when the connection has had no open stream for {@code server.timeouts.idle};</li>
 *   <li>on {@link #drain}: at shutdown (which closes whatever is left when {@code server.shutdown_grace} ends), and
 *       when a reload changes {@code server.http2}, so clients reconnect and get the new SETTINGS.</li>
 * </ul>
 * Sits after the {@code Http2FrameCodec}, so its GOAWAY frame goes through the codec, which fills in the stream id.
 */
public final class GracefulGoAway extends ChannelInboundHandlerAdapter {
    private final Http2Connection connection;
    private final long idleNanos;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> idleTimer;
    private boolean draining;

    GracefulGoAway(Http2Connection connection, Duration idle) {
        this.connection = connection;
        this.idleNanos = idle.toNanos();
    }

    /**
     * Drains {@code channel} if it speaks HTTP/2: a graceful GOAWAY now, the close when its streams are done.
     * Call it on the channel's event loop.
     *
     * @return false for a connection that does not speak HTTP/2 (or not yet)
     */
    public static boolean drain(Channel channel) {
        GracefulGoAway handler = channel.pipeline().get(GracefulGoAway.class);
        if (handler == null) {
            return false;
        }
        handler.drain();
        return true;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        connection.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamActive(Http2Stream stream) {
                cancelIdleTimer();
            }

            @Override
            public void onStreamClosed(Http2Stream stream) {
                if (connection.numActiveStreams() == 0) {
                    noOpenStream();
                }
            }
        });
        noOpenStream();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelIdleTimer();
        ctx.fireChannelInactive();
    }

    void drain() {
        if (draining) {
            return;
        }
        draining = true;
        cancelIdleTimer();
        goAway();
        if (connection.numActiveStreams() == 0) {
            ctx.close();
        }
    }

    private void noOpenStream() {
        if (draining) {
            // After the codec is done closing the stream; it flushes what was written before it closes.
            ctx.executor().execute(ctx::close);
        } else if (idleTimer == null && ctx.channel().isActive()) {
            idleTimer = ctx.executor().schedule((Runnable) this::drain, idleNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void goAway() {
        if (!connection.goAwaySent() && ctx.channel().isActive()) {
            ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR))
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }

    private void cancelIdleTimer() {
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
    }
}
