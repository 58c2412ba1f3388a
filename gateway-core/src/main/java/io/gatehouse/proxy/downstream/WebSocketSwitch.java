package io.gatehouse.proxy.downstream;

import io.gatehouse.context.RequestContext;
import io.gatehouse.metrics.RouteMeters;
import io.gatehouse.pool.UpstreamConnection;
import io.gatehouse.proxy.ForwardedHeaders;
import io.gatehouse.proxy.GatewayRuntime;
import io.gatehouse.proxy.HopByHopHeaders;
import io.gatehouse.proxy.exchange.WebSocketUpgrade;
import io.gatehouse.proxy.websocket.Tunnel;
import io.gatehouse.route.Route;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.atomic.AtomicInteger;


/**
 * Turns a client connection and the backend connection that answered its WebSocket upgrade with a 101 into a
 * {@link Tunnel}: the 101 goes to the client (the backend's handshake headers with the gateway's response headers),
 * then both pipelines leave HTTP. The client's loses its codec, {@link ClientTimeouts} and {@link SendTimeout}; the
 * backend's its codec and idle handler, and the connection leaves its pool for good (a reload that retires the
 * backend leaves it open). Bytes a codec still held go on into the tunnel, after the 101. The request is logged
 * once, when the tunnel ends: status 101, its duration, and the bytes read from each side.
 */
final class WebSocketSwitch {
    private WebSocketSwitch() {}

    static void open(ClientConnectionHandler client, ChannelHandlerContext clientCtx, GatewayRuntime runtime,
                     RequestAccounting accounting, Route route, RouteMeters meters, HttpResponse switched,
                     UpstreamConnection upstream, RequestContext request) {
        AtomicInteger open = meters.websockets();
        if (open != null) {
            open.incrementAndGet();
        }
        Tunnel tunnel = new Tunnel(clientCtx.channel().eventLoop(), route.config().websocket(),
                (reason, fromClient, fromBackend) -> {
                    if (open != null) {
                        open.decrementAndGet();
                    }
                    meters.websocketClosed(reason.label());
                    request.addBytesIn(fromClient);
                    request.addBytesOut(fromBackend);
                    accounting.finish(request, HttpResponseStatus.SWITCHING_PROTOCOLS.code());
                });
        clientCtx.writeAndFlush(clientResponse(client, switched), clientCtx.voidPromise());
        request.upstreamHeadersReceived(); // upstream_ms: the time to the 101
        request.status(HttpResponseStatus.SWITCHING_PROTOCOLS.code());

        Channel backend = upstream.channel();
        upstream.leavePool(tunnel.backendHandler(backend));
        ChannelPipeline backendPipeline = backend.pipeline();
        removeIfPresent(backendPipeline, IdleStateHandler.class);
        removeIfPresent(backendPipeline, HttpClientCodec.class);

        ChannelPipeline clientPipeline = clientCtx.pipeline();
        removeIfPresent(clientPipeline, SendTimeout.class);
        removeIfPresent(clientPipeline, ClientTimeouts.class);
        clientPipeline.replace(HttpServerCodec.class, "websocket", tunnel.clientHandler(clientCtx.channel()));
        tunnel.start();
        if (runtime.isDraining()) {
            tunnel.drain(); // the shutdown began while the backend answered: it found no tunnel to drain then
        }
    }

    /** The backend's 101 for the client: its headers less the hop-by-hop ones, the upgrade pair put back. */
    private static FullHttpResponse clientResponse(ClientConnectionHandler client, HttpResponse switched) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.SWITCHING_PROTOCOLS, Unpooled.EMPTY_BUFFER, switched.headers(),
                EmptyHttpHeaders.INSTANCE);
        HopByHopHeaders.strip(response.headers());
        ForwardedHeaders.appendVia(response.headers());
        client.decorate(response);
        WebSocketUpgrade.restoreUpgradeHeaders(response.headers()); // after the decoration's Connection: close
        return response;
    }

    private static void removeIfPresent(ChannelPipeline pipeline, Class<? extends ChannelHandler> type) {
        if (pipeline.get(type) != null) {
            pipeline.remove(type);
        }
    }
}
