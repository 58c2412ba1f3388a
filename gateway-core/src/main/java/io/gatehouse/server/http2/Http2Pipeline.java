package io.gatehouse.server.http2;

import io.gatehouse.config.Http2Config;
import io.gatehouse.config.ServerConfig;
import io.gatehouse.proxy.GatewayRuntime;
import io.gatehouse.proxy.downstream.ClientPipeline;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * Turns a client connection that speaks HTTP/2 (found by {@link PriorKnowledgeSwitch} or {@link AlpnSwitch}) from
 * the HTTP/1.x pipeline into this one, behind the TLS handlers and {@code SendTimeout} that stay:
 * <pre>
 *   Http2FrameCodec        frames, HPACK, flow control, and the limits of server.http2: SETTINGS
 *                          (MAX_CONCURRENT_STREAMS, MAX_HEADER_LIST_SIZE, INITIAL_WINDOW_SIZE), the RST_STREAM rate
 *                          and the small-CONTINUATION cap, each ending the connection with a GOAWAY when broken
 *   ConnectionWindow       raises the connection's receive window once, then leaves
 *   GracefulGoAway         the idle timeout with no open stream, and the graceful GOAWAY of a drain or a reload
 *   Http2MultiplexHandler  one child channel per stream, on this connection's event loop
 * </pre>
 * The limits are those of the snapshot in force when the connection turns to HTTP/2; a reload that changes them
 * applies to later connections (and sends existing ones a graceful GOAWAY, see {@link GracefulGoAway#drain}).
 */
public final class Http2Pipeline {
    /** RST_STREAM frames are counted per window of this many seconds: {@code max_rst_frames_per_second}. */
    private static final int RST_WINDOW_SECONDS = 1;

    private Http2Pipeline() {}

    /** Called before the connection's first request was read, on its event loop. */
    static void switchTo(ChannelPipeline pipeline, GatewayRuntime runtime) {
        ServerConfig server = runtime.snapshot().server();
        ClientPipeline.removeHttp1(pipeline);
        // The HTTP/1.x handler counted the connection open when it became active; it is counted closed here.
        pipeline.channel().closeFuture().addListener(closed -> runtime.metrics().clientConnectionClosed());
        Http2FrameCodec codec = frameCodec(server.http2());
        pipeline.addLast("h2", codec);
        pipeline.addLast("h2-window", new ConnectionWindow(server.http2().connectionWindowIncrement()));
        pipeline.addLast("h2-goaway", new GracefulGoAway(codec.connection(), server.timeouts().idle()));
        pipeline.addLast("h2-streams", new Http2MultiplexHandler(new StreamInitializer(runtime)));
    }

    static Http2FrameCodec frameCodec(Http2Config http2) {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(new Http2Settings()
                        .maxConcurrentStreams(http2.maxConcurrentStreams())
                        .maxHeaderListSize(http2.maxHeaderListSize())
                        .initialWindowSize(http2.initialStreamWindow()))
                .decoderEnforceMaxRstFramesPerWindow(http2.maxRstFramesPerSecond(), RST_WINDOW_SECONDS)
                // Also resets the gateway sends, so a client cannot make it reset streams without end (MadeYouReset).
                .encoderEnforceMaxRstFramesPerWindow(http2.maxRstFramesPerSecond(), RST_WINDOW_SECONDS)
                .decoderEnforceMaxSmallContinuationFrames(http2.maxSmallContinuationFrames())
                // A close() sends a GOAWAY if none was sent and closes without waiting for streams: the graceful
                // wait is GracefulGoAway's, bounded by server.shutdown_grace on shutdown.
                .gracefulShutdownTimeoutMillis(0)
                .build();
    }
}
