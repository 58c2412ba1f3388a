package io.gatehouse.server;

import io.gatehouse.config.ServerConfig;
import io.gatehouse.proxy.GatewayRuntime;
import io.gatehouse.proxy.downstream.ClientPipeline;
import io.gatehouse.server.http2.AlpnSwitch;
import io.gatehouse.server.http2.PriorKnowledgeSwitch;
import io.gatehouse.tls.EdgeTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;

/**
 * The one place the client pipeline's order is written: on the HTTPS listener the TLS handlers
 * ({@link EdgeTls#configure}), then the HTTP/1.x ones ({@link ClientPipeline}). With {@code server.http2.enabled}, a
 * switch between them turns the connection to HTTP/2 when it speaks it: {@link AlpnSwitch} after the TLS handshake,
 * {@link PriorKnowledgeSwitch} before the HTTP/1.x codec on the plain port. Each accepted channel is also added to
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
        ServerConfig server = runtime.snapshot().server();
        boolean http2 = server.http2().enabled();
        if (tls != null) {
            tls.configure(ch.pipeline(), server.tls().handshakeTimeout());
            if (http2) {
                ch.pipeline().addLast("alpn", new AlpnSwitch(runtime));
            }
        }
        ClientPipeline.configure(ch.pipeline(), runtime);
        if (http2 && tls == null) {
            ch.pipeline().addBefore(ClientPipeline.CODEC, "h2c-preface", new PriorKnowledgeSwitch(runtime));
        }
    }
}
