package io.gatehouse.proxy;

import io.gatehouse.context.RequestContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Relays the response an exchange committed to, from its backend connection to the client: the head (with the
 * gateway's response headers), then each body part, flushed once per upstream read. The upstream is read only
 * while the client keeps up; while it does not, the backend's silence does not count against the idle timeout.
 */
final class ResponseRelay {
    private final ClientConnectionHandler client;
    private final ChannelHandlerContext clientCtx;
    private final RequestContext request;
    private final ExchangeTimers timers;
    private final boolean headRequest;
    private Channel upstream;
    private boolean keepAlive;
    private boolean waitingForClient;

    ResponseRelay(ClientConnectionHandler client, ChannelHandlerContext clientCtx, RequestContext request,
                  ExchangeTimers timers, boolean headRequest) {
        this.client = client;
        this.clientCtx = clientCtx;
        this.request = request;
        this.timers = timers;
        this.headRequest = headRequest;
    }

    /** Whether a response head went to the client, so the exchange can no longer answer with an error. */
    boolean isStarted() {
        return upstream != null;
    }

    /**
     * Sends the head on. {@code requestComplete}: whether the whole request reached the backend; if not, neither
     * connection can be reused safely.
     */
    void start(HttpResponse response, Channel from, boolean requestComplete) {
        upstream = from;
        timers.responseStarted();
        keepAlive = HttpUtil.isKeepAlive(response);
        request.status(response.status().code());
        if (MessageHeads.prepareClientResponse(response, client.isHttp10Client(), headRequest) || !requestComplete) {
            client.closeAfterResponse();
        }
        client.prepareResponseHead(response);
        clientCtx.write(response, clientCtx.voidPromise());
    }

    /** Relays a body part that is not the last. */
    void relay(HttpContent part) {
        request.addBytesOut(part.content().readableBytes());
        clientCtx.write(part, clientCtx.voidPromise());
    }

    /** Whether the backend let its connection be kept alive after this response. */
    boolean mayReuseUpstream() {
        return keepAlive;
    }

    /** Relays the last part; the returned write completes when the client has the whole response. */
    ChannelFuture finish(HttpContent last) {
        request.addBytesOut(last.content().readableBytes());
        return clientCtx.writeAndFlush(last);
    }

    /** The end of one upstream read: flush what it relayed, and stop reading while the client is behind. */
    void readComplete() {
        timers.upstreamRead();
        clientCtx.flush();
        if (!clientCtx.channel().isWritable()) {
            waitingForClient = true;
            timers.pauseIdle(true);
            upstream.config().setAutoRead(false);
        }
    }

    void clientWritable() {
        if (waitingForClient) {
            waitingForClient = false;
            timers.pauseIdle(false);
            upstream.config().setAutoRead(true);
        }
    }
}
