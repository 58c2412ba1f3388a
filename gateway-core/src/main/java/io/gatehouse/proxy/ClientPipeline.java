package io.gatehouse.proxy;

import io.gatehouse.config.ServerConfig;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * The client pipeline, in order:
 * <pre>
 *   ClientTimeouts          idle keep-alive and request-head timeouts (sees raw bytes)
 *   HttpServerCodec         HTTP/1.x framing with the configured line and header limits
 *   ClientConnectionHandler validation, built-ins, routing, proxying, with a bounded backlog as flow control
 * </pre>
 * Netty 4.2's {@code FlowControlHandler} is not used: with reads requested from inside {@code channelRead} it
 * stalled request bodies after a few reads. The terminal handler's {@link InboundBacklog} holds what the request
 * state does not want yet and pauses the socket while it is full.
 * The security chain (request ID, CORS, rate limit, auth) will sit between the flow control and the terminal
 * handler.
 */
public final class ClientPipeline {
    /** Body chunks are handed on at this size at most, so memory per connection stays small. */
    private static final int MAX_CHUNK_BYTES = 16 * 1024;

    private ClientPipeline() {}

    public static void configure(ChannelPipeline pipeline, GatewayRuntime runtime) {
        ServerConfig server = runtime.server();
        pipeline.addLast("timeouts", new ClientTimeouts(server.timeouts().idle().toNanos(),
                server.timeouts().requestHeader().toNanos()));
        pipeline.addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(server.limits().maxInitialLine())
                .setMaxHeaderSize(server.limits().maxHeaderBytes())
                .setMaxChunkSize(MAX_CHUNK_BYTES)));
        pipeline.addLast("proxy", new ClientConnectionHandler(runtime));
    }
}
