package io.gatehouse.proxy.downstream;

import io.gatehouse.config.ServerConfig;
import io.gatehouse.context.Protocol;
import io.gatehouse.context.RequestContext;
import io.gatehouse.metrics.RouteMeters;
import io.gatehouse.pool.UpstreamConnection;
import io.gatehouse.proxy.GatewayRuntime;
import io.gatehouse.route.Route;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * The terminal handler of one HTTP/2 stream (a child channel of the connection, after
 * {@code Http2StreamFrameToHttpObjectCodec}, {@code io.gatehouse.server.http2.StreamRequests} and
 * {@link StreamTimeouts}): one request,
 * served as {@link ClientRequestHandler} says, then the stream ends. What is HTTP/2's own lives here:
 * <ul>
 *   <li>no keep-alive and no body framing: the codec frames the response (HEADERS, DATA, trailers), and the stream's
 *   end delimits it;</li>
 *   <li>a response sent before the request body was read in full (a refusal, or a backend that answered early) ends
 *   the stream with RST_STREAM NO_ERROR once it is written, which tells the client to stop sending (RFC 9113
 *   §8.1); the rest of the body is never read;</li>
 *   <li>flow control is per stream: reading pauses on this child channel alone (its unread DATA holds back the
 *   stream's window, not the connection's reading), and the child channel's writability follows the stream's send
 *   window, so a slow reader on one stream never stalls its siblings;</li>
 *   <li>an abort resets the stream (RST_STREAM CANCEL); the connection carries on.</li>
 * </ul>
 * HTTP/2 has no Upgrade: a WebSocket upgrade never reaches {@link #awaitUpgradeAnswer} (the codec's header
 * validation refuses {@code Connection} and {@code Upgrade}), and the request head router sees no such request.
 */
public final class Http2StreamHandler extends ClientRequestHandler {
    private Http2StreamHandler(GatewayRuntime runtime) {
        super(runtime);
    }

    /** Adds the stream's timeouts and this handler at the end of a stream's pipeline. */
    public static void addTo(ChannelPipeline stream, GatewayRuntime runtime) {
        ServerConfig.Timeouts timeouts = runtime.snapshot().server().timeouts();
        stream.addLast("timeouts", new StreamTimeouts(timeouts, runtime.clientTimeouts()));
        stream.addLast("proxy", new Http2StreamHandler(runtime));
    }

    @Override
    Channel connection() {
        return ctx.channel().parent();
    }

    @Override
    void requestBegun(HttpRequest head) {
        request.protocol(Protocol.HTTP_2);
    }

    @Override
    void headRead(HttpRequest head) {
        // Nothing: a stream carries one request, and the connection's end is the connection's business.
    }

    @Override
    void answeringLocally() {
        // Nothing: what is left of the body is dropped as it comes, until the response ends the stream.
    }

    @Override
    void discard(Object msg) {
        ReferenceCountUtil.release(msg); // arrived before the response ended the stream
    }

    /**
     * The response is written. When the client has ended its side too, the stream is closed (and its channel with
     * it). When it is still sending a body nobody reads (a refusal, or a backend that answered early), RST_STREAM
     * NO_ERROR asks it to stop (RFC 9113 §8.1). Judged by the stream's own state, so that no reset is sent for a
     * stream the client ended, whose last part may still wait unread in the backlog: resets count against
     * {@code max_rst_frames_per_second}.
     */
    @Override
    void responseDone() {
        if (ctx.channel().isActive() && ((Http2StreamChannel) ctx.channel()).stream().state().remoteSideOpen()) {
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    boolean closesAfterResponse() {
        return false;
    }

    /** Nothing more: the stream ends with its response, a body still coming cut off ({@link #responseDone}). */
    @Override
    void closeAfterResponse() {
    }

    @Override
    public boolean takesInterimResponses() {
        return true;
    }

    @Override
    public void sendInterim(FullHttpResponse interim) {
        ctx.writeAndFlush(interim, ctx.voidPromise());
    }

    @Override
    public void sendResponseHead(HttpResponse head, boolean headRequest, boolean requestComplete) {
        decorate(head);
        ctx.write(head, ctx.voidPromise());
    }

    /** Resets the stream (RST_STREAM CANCEL), so the client does not take a cut-off body for a whole one. */
    @Override
    public void abort() {
        exchange = null;
        ctx.close();
    }

    @Override
    public void awaitUpgradeAnswer() {
        throw new IllegalStateException("HTTP/2 has no Upgrade");
    }

    @Override
    public void openTunnel(HttpResponse switched, UpstreamConnection upstream, Route route, RouteMeters meters,
                           RequestContext request) {
        throw new IllegalStateException("HTTP/2 has no Upgrade");
    }
}
