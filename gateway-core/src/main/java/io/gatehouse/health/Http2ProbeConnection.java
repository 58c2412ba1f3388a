package io.gatehouse.health;

import io.gatehouse.pool.Http2Channels;
import io.gatehouse.upstream.tls.AlpnRefusedException;
import io.gatehouse.upstream.tls.UpstreamTlsHandshakeException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The connection of one HTTP/2 health probe, last in its pipeline: once connected (over TLS: once the handshake
 * picked h2 in ALPN) it opens one stream whose handler is the {@link Probe}, and the connection closes with that
 * stream. A connection that fails first fails the probe.
 */
final class Http2ProbeConnection extends ChannelInboundHandlerAdapter {
    private final Probe probe;
    private final boolean tls;

    Http2ProbeConnection(Probe probe, boolean tls) {
        this.probe = probe;
        this.tls = tls;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!tls) {
            openStream(ctx);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent handshake) {
            String selected = ctx.pipeline().get(SslHandler.class).applicationProtocol();
            if (!handshake.isSuccess()) {
                probe.failed(new UpstreamTlsHandshakeException(handshake.cause()));
                ctx.close();
            } else if (!ApplicationProtocolNames.HTTP_2.equals(selected)) {
                probe.failed(new UpstreamTlsHandshakeException(new AlpnRefusedException(selected)));
                ctx.close();
            } else {
                openStream(ctx);
            }
        }
        ReferenceCountUtil.release(evt);
    }

    private void openStream(ChannelHandlerContext ctx) {
        new Http2StreamChannelBootstrap(ctx.channel()).handler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                Http2Channels.addStreamHandlers(ch.pipeline(), probe);
                ch.closeFuture().addListener((ChannelFuture f) -> ctx.close());
            }
        }).open().addListener(opened -> {
            if (!opened.isSuccess()) {
                probe.failed(opened.cause());
                ctx.close();
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg); // SETTINGS, PING, GOAWAY: nothing the probe needs
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        probe.failed(cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        probe.connectionClosed();
    }
}
