package io.gatehouse.pool;

import io.gatehouse.http2.EndStreamMerger;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

/**
 * The handlers of a client HTTP/2 connection to a backend, shared by the connection pool and the health probes. The
 * connection: {@code Http2FrameCodec} (no server push, bounded response header lists) and
 * {@code Http2MultiplexHandler}, which gives each stream its own child channel; each stream: Netty's
 * {@code Http2StreamFrameToHttpObjectCodec}, {@link EndStreamMerger} (a bodiless request is one HEADERS frame) and
 * {@link Http2ResponseAdapter}, so that it reads and writes the same HTTP/1.x messages as an HTTP/1.1 connection.
 */
public final class Http2Channels {
    static final int MAX_RESPONSE_HEADER_LIST_BYTES = 64 * 1024;
    /**
     * The connection-level receive window of a pooled connection. Each stream keeps HTTP/2's default 64 KiB window,
     * which bounds what a stream whose client stopped reading holds; the connection's must be far larger than one
     * stream's, or one stalled stream would use it up and stall its siblings.
     */
    static final int CONNECTION_WINDOW_BYTES = 16 * 1024 * 1024;

    private Http2Channels() {}

    /** Adds the connection-level handlers; the backend never opens streams, so its child handler is inert. */
    public static void addConnectionHandlers(ChannelPipeline pipeline) {
        pipeline.addLast(Http2FrameCodecBuilder.forClient()
                        .initialSettings(Http2Settings.defaultSettings()
                                .pushEnabled(false)
                                .maxHeaderListSize(MAX_RESPONSE_HEADER_LIST_BYTES))
                        .build(),
                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
    }

    /** Adds the stream-level handlers, then {@code last}, which reads the stream's response as HTTP/1.x messages. */
    public static void addStreamHandlers(ChannelPipeline pipeline, ChannelHandler last) {
        pipeline.addLast(new Http2StreamFrameToHttpObjectCodec(false), new EndStreamMerger(),
                new Http2ResponseAdapter(), last);
    }
}
