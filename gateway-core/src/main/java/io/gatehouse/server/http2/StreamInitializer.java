package io.gatehouse.server.http2;

import io.gatehouse.http2.EndStreamMerger;
import io.gatehouse.proxy.GatewayRuntime;
import io.gatehouse.proxy.downstream.Http2StreamHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

/**
 * The pipeline of each stream's child channel, which runs on its connection's event loop:
 * <pre>
 *   Http2StreamFrameToHttpObjectCodec  HEADERS, DATA and trailers to and from HTTP/1.x-shaped messages
 *   EndStreamMerger                    a head and an empty end, as the relay writes them, go as one HEADERS frame
 *                                      with END_STREAM (a gRPC trailers-only answer stays what it was)
 *   StreamRequests                     the request as the request path expects it
 *   StreamTimeouts                     the request body gap and send timeouts of server.timeouts, per stream
 *   Http2StreamHandler                 the request: routing, security chain, proxying, access log, metrics
 * </pre>
 */
final class StreamInitializer extends ChannelInitializer<Channel> {
    private final GatewayRuntime runtime;

    StreamInitializer(GatewayRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    protected void initChannel(Channel stream) {
        stream.pipeline().addLast("h2-http", new Http2StreamFrameToHttpObjectCodec(true));
        stream.pipeline().addLast("end-stream", new EndStreamMerger());
        stream.pipeline().addLast("h2-request", StreamRequests.INSTANCE);
        Http2StreamHandler.addTo(stream.pipeline(), runtime);
    }
}
