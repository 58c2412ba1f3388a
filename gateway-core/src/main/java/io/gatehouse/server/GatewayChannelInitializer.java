package io.gatehouse.server;

import io.gatehouse.proxy.ClientPipeline;
import io.gatehouse.proxy.GatewayRuntime;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;

/**
 * The one place the client pipeline's order is written (see {@link ClientPipeline}). Each accepted channel is
 * also added to the server's channel group, so graceful shutdown can reach it.
 */
final class GatewayChannelInitializer extends ChannelInitializer<Channel> {
    private final GatewayRuntime runtime;
    private final ChannelGroup clients;

    GatewayChannelInitializer(GatewayRuntime runtime, ChannelGroup clients) {
        this.runtime = runtime;
        this.clients = clients;
    }

    @Override
    protected void initChannel(Channel ch) {
        clients.add(ch);
        ClientPipeline.configure(ch.pipeline(), runtime);
    }
}
