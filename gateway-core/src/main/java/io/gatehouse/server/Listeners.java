package io.gatehouse.server;

import io.gatehouse.config.ServerConfig;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.proxy.GatewayRuntime;
import io.gatehouse.tls.EdgeTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;

import java.net.InetSocketAddress;

/**
 * The gateway's client listeners: plain HTTP on {@code server.port}, and HTTPS on {@code server.tls.port} when
 * configured. Both are made with {@link ListenerBootstrap} on the same event loops, with the same child options,
 * and add their connections to the same channel group, so graceful shutdown drains both. Both are bound or neither:
 * a failure closes whatever was bound and throws {@link CannotListenException}.
 */
final class Listeners {
    private final Channel plain;
    /** Null without {@code server.tls}. */
    private final Channel https;
    private final EdgeTls edgeTls;

    private Listeners(Channel plain, Channel https, EdgeTls edgeTls) {
        this.plain = plain;
        this.https = https;
        this.edgeTls = edgeTls;
    }

    static Listeners bind(EventLoopGroup group, Transport transport, WriteBufferWaterMark waterMark,
                          GatewayRuntime runtime, ChannelGroup clients, GatewayMetrics metrics)
            throws InterruptedException {
        ServerConfig server = runtime.snapshot().server();
        EdgeTls edgeTls = server.tls() == null ? null : EdgeTls.start(server.tls(),
                server.http2().enabled(), metrics, group);
        Channel plain = null;
        try {
            plain = bindOne(group, transport, waterMark, new GatewayChannelInitializer(runtime, clients, null),
                    server.host(), server.port());
            Channel https = edgeTls == null ? null : bindOne(group, transport, waterMark,
                    new GatewayChannelInitializer(runtime, clients, edgeTls), server.host(), server.tls().port());
            return new Listeners(plain, https, edgeTls);
        } catch (RuntimeException | InterruptedException e) {
            if (plain != null) {
                plain.close().awaitUninterruptibly();
            }
            if (edgeTls != null) {
                edgeTls.close();
            }
            throw e;
        }
    }

    private static Channel bindOne(EventLoopGroup group, Transport transport, WriteBufferWaterMark waterMark,
                                   GatewayChannelInitializer initializer, String host, int port)
            throws InterruptedException {
        ChannelFuture bound = ListenerBootstrap.create(group, transport)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
                .childHandler(initializer)
                .bind(host, port)
                .await();
        if (!bound.isSuccess()) {
            // Thrown as our own unchecked exception (not sync()'s sneaky BindException) so start() cleans up.
            throw new CannotListenException(host, port, bound.cause());
        }
        return bound.channel();
    }

    int port() {
        return ((InetSocketAddress) plain.localAddress()).getPort();
    }

    /** The bound HTTPS port, or -1 without {@code server.tls}. */
    int httpsPort() {
        return https == null ? -1 : ((InetSocketAddress) https.localAddress()).getPort();
    }

    /** Stops accepting connections; those accepted stay open. */
    void stopAccepting() {
        plain.close().awaitUninterruptibly();
        if (https != null) {
            https.close().awaitUninterruptibly();
        }
    }

    /** Once every connection has closed: stops the certificate watching and the ticket key rotation. */
    void release() {
        if (edgeTls != null) {
            edgeTls.close();
        }
    }
}
