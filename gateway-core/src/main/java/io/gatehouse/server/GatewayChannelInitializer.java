package io.gatehouse.server;

import io.gatehouse.proxy.GatewayRuntime;
import io.gatehouse.proxy.downstream.ClientPipeline;
import io.gatehouse.tls.EdgeTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;

/**
 * The one place the client pipeline's order is written: on the HTTPS listener the TLS handlers
 * ({@link EdgeTls#configure}), then the HTTP ones ({@link ClientPipeline}). Each accepted channel is also added to
 * the server's channel group, so graceful shutdown can reach it.
 */
final class GatewayChannelInitializer extends ChannelInitializer<Channel> {
    private final GatewayRuntime runtime;
    private final ChannelGroup clients;
    /** Null on the plain listener. */
    private final EdgeTls tls;

    GatewayChannelInitializer(GatewayRuntime runtime, ChannelGroup clients, EdgeTls tls) {
        this.runtime = runtime;
        this.clients = clients;
        this.tls = tls;
    }

    @Override
    protected void initChannel(Channel ch) {
        clients.add(ch);
        if (tls != null) {
            tls.configure(ch.pipeline(), runtime.snapshot().server().tls().handshakeTimeout());
        }
        ClientPipeline.configure(ch.pipeline(), runtime);
    }
}
