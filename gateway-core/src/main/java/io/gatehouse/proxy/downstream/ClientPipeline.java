package io.gatehouse.proxy.downstream;

import io.gatehouse.config.ServerConfig;
import io.gatehouse.proxy.GatewayRuntime;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * The client pipeline, in order:
 * <pre>
 *   SendTimeout             a client that stops taking its response is disconnected (sees every write)
 *   ClientTimeouts          idle keep-alive, request head, request body gap and discard timeouts (sees raw bytes;
 *                           a 408 it asks for with a {@link ClientRefusal} event is answered by the terminal
 *                           handler)
 *   HttpServerCodec         HTTP/1.x framing with the configured line and header limits
 *   ClientConnectionHandler one request at a time (a bounded backlog is the flow control, see
 *                           {@link SerialRequestHandler}): request ID, validation, built-ins, routing, then the
 *                           route's security chain ({@link io.gatehouse.security.RoutePolicy}: CORS preflight,
 *                           IP rules, API key, JWT, roles), 100-continue and proxying
 * </pre>
 * The security checks run as steps of the terminal handler rather than handlers of their own: they need the
 * route (for its policy), and a check that answers a request must also own that request's remaining body and
 * its place in the pipelined order, which only the terminal handler's state machine knows.
 */
public final class ClientPipeline {
    /** The HTTP/1.x codec's name: a handler that must see the raw bytes first is added before it. */
    public static final String CODEC = "http";
    /** Body chunks are handed on at this size at most, so memory per connection stays small. */
    private static final int MAX_CHUNK_BYTES = 16 * 1024;

    private ClientPipeline() {}

    /**
     * Client timeouts and the codec's line and header limits are taken from the snapshot in force when the connection
     * opens; a reload that changes them applies to connections opened after it.
     */
    public static void configure(ChannelPipeline pipeline, GatewayRuntime runtime) {
        ServerConfig server = runtime.snapshot().server();
        pipeline.addLast("send-timeout", new SendTimeout(server.timeouts().send().toNanos(),
                runtime.clientTimeouts().send()));
        pipeline.addLast("timeouts", new ClientTimeouts(server.timeouts(), runtime.clientTimeouts()));
        pipeline.addLast(CODEC, new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(server.limits().maxInitialLine())
                .setMaxHeaderSize(server.limits().maxHeaderBytes())
                .setMaxChunkSize(MAX_CHUNK_BYTES)));
        pipeline.addLast("proxy", new ClientConnectionHandler(runtime));
    }

    /**
     * Takes out the HTTP/1.x handlers when the connection turns out to speak HTTP/2 (before any request was read);
     * {@link SendTimeout}, which watches the connection's output whatever it carries, stays.
     */
    public static void removeHttp1(ChannelPipeline pipeline) {
        pipeline.remove(ClientTimeouts.class);
        pipeline.remove(CODEC);
        pipeline.remove(ClientConnectionHandler.class);
    }
}
