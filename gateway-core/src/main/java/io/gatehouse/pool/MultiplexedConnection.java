package io.gatehouse.pool;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;

/**
 * One HTTP/2 connection of an {@link Http2ConnectionPool}, as the last handler of its channel (after
 * {@link Http2Channels#addConnectionHandlers} and an idle-state handler). It takes streams once the backend's first
 * SETTINGS frame has arrived (so its {@code SETTINGS_MAX_CONCURRENT_STREAMS} is known), as many as that allows, and
 * none after a GOAWAY in either direction; then it also widens its connection window
 * ({@link Http2Channels#CONNECTION_WINDOW_BYTES}). Confined to its pool's event loop.
 */
final class MultiplexedConnection extends ChannelInboundHandlerAdapter {
    private final Http2ConnectionPool pool;
    /** The request that had this connection opened: it gets the first stream, or hears why there is none. */
    final AcquireListener initiator;
    private Channel channel;
    private Http2Connection http2;
    private Http2StreamChannelBootstrap streams;
    /** Pool-owned state: ready (SETTINGS read), settled (ready or failed), counted in the gauges, closed. */
    boolean ready;
    boolean settled;
    boolean counted;
    boolean inUse;
    boolean closed;
    private boolean goingAway;
    private int openStreams;
    private int streamsOpened;

    MultiplexedConnection(Http2ConnectionPool pool, AcquireListener initiator) {
        this.pool = pool;
        this.initiator = initiator;
    }

    Channel channel() {
        return channel;
    }

    int openStreams() {
        return openStreams;
    }

    /** The backend sent GOAWAY: no new stream from now on, even before the frame reaches this handler. */
    void goAwayReceived() {
        goingAway = true;
    }

    boolean isGoingAway() {
        return goingAway || (http2 != null && (http2.goAwayReceived() || http2.goAwaySent()));
    }

    /** Whether a new stream may go on this connection now: below the backend's limit, and not going away. */
    boolean hasCapacity() {
        return ready && !closed && channel.isActive() && !isGoingAway()
                && openStreams < http2.local().maxActiveStreams();
    }

    /** Opens a stream for {@code listener}, which hears of it (or of the failure) once the child channel exists. */
    void openStream(AcquireListener listener) {
        openStreams++;
        streamsOpened++;
        pool.streamOpened(this);
        Http2StreamSlot slot = new Http2StreamSlot(this, streamsOpened > 1);
        streams.handler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                Http2Channels.addStreamHandlers(ch.pipeline(), slot);
            }
        }).open().addListener((Future<Http2StreamChannel> opened) -> {
            if (opened.isSuccess()) {
                // Counted closed only once the codec closed the stream too, which it may do right after the child
                // channel: a stream opened in between would exceed the backend's limit.
                opened.getNow().closeFuture().addListener((ChannelFuture f) -> channel.eventLoop().execute(
                        this::streamClosed));
                slot.attach(listener);
                listener.onAcquired(slot);
            } else {
                streamClosed();
                listener.onAcquireFailed(opened.cause(), false);
            }
        });
    }

    private void streamClosed() {
        openStreams--;
        pool.streamClosed(this);
    }

    /**
     * Why a stream that ended before its response did was never processed by the backend, or null if it may have
     * been: it was never opened, or its id is above the last-stream-id of the GOAWAY the backend sent.
     */
    String whyNotProcessed(Http2FrameStream stream) {
        if (stream == null || stream.id() <= 0) {
            return "never opened";
        }
        if (http2.goAwayReceived() && stream.id() > http2.local().lastStreamKnownByPeer()) {
            return "above the last stream id " + http2.local().lastStreamKnownByPeer() + " of the backend's GOAWAY";
        }
        return null;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        http2 = ctx.pipeline().get(Http2FrameCodec.class).connection();
        streams = new Http2StreamChannelBootstrap(channel);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Http2SettingsFrame && !ready) {
                ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(
                        Http2Channels.CONNECTION_WINDOW_BYTES - Http2CodecUtil.DEFAULT_WINDOW_SIZE));
                pool.connectionReady(this);
            } else if (msg instanceof Http2GoAwayFrame) {
                goingAway = true;
                pool.connectionGoingAway(this);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        // Idle eviction: only a connection without streams; one that carries any is governed by their exchanges.
        if (evt instanceof IdleStateEvent && openStreams == 0) {
            ctx.close();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        pool.connectionFailed(this, cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pool.connectionClosed(this);
    }
}
