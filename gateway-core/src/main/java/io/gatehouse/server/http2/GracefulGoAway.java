package io.gatehouse.server.http2;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * Sits after the {@code Http2FrameCodec}, so its GOAWAY frame goes through the codec, which fills in the stream id;
 * it is also where the connection's own errors end.
 */
public final class GracefulGoAway extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(GracefulGoAway.class);

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

    /**
     * A connection error (a broken limit, a protocol error): the codec reports it here, then answers it with a GOAWAY
     * naming the error and closes. A socket error closes the connection. Either is the client's doing, logged at
     * debug. A stream's error goes on to the multiplexer, which hands it to the stream's channel.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Http2FrameStreamException) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        log.debug("HTTP/2 connection from {} ends: {}", ctx.channel().remoteAddress(), cause.toString());
        if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) == null) {
            ctx.close();
        }
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
