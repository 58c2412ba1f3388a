package io.gatehouse.server.http2;

import io.gatehouse.proxy.GatewayRuntime;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

/**
 * On the TLS listener, after the handshake handlers: holds what the client sends until the handshake is done, then
 * turns the pipeline to HTTP/2 when ALPN chose {@code h2}; with {@code http/1.1}, or no ALPN at all, the pipeline
 * already speaks HTTP/1.x. Then it leaves, handing on what it held.
 */
public final class AlpnSwitch extends ApplicationProtocolNegotiationHandler {
    private final GatewayRuntime runtime;

    public AlpnSwitch(GatewayRuntime runtime) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.runtime = runtime;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            Http2Pipeline.switchTo(ctx.pipeline(), runtime);
        }
    }
}
