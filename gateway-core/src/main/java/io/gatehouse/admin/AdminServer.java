package io.gatehouse.admin;

import io.gatehouse.config.AdminConfig;
import io.gatehouse.reload.ConfigReloader;
import io.gatehouse.server.GatewayServer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The admin API's own listener (docs/admin.md), on the gateway's event loops. Off unless {@code admin:} is
 * configured. Every request is read whole (bounded by {@link AdminBodyLimit}), authenticated, and answered in JSON.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    /** An admin connection with no request for this long is closed. */
    private static final long IDLE_SECONDS = 60;
    private static final int MAX_INITIAL_LINE = 8 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final Channel listener;
    private final ChannelGroup connections;

    private AdminServer(Channel listener, ChannelGroup connections) {
        this.listener = listener;
        this.connections = connections;
    }

    /**
     * Starts listening on {@code config}'s address.
     *
     * @param reloader applies every change the API makes, as it applies a changed file
     * @throws io.gatehouse.server.CannotListenException naming the address and the reason
     */
    public static AdminServer start(AdminConfig config, GatewayServer gateway, ConfigReloader reloader)
            throws InterruptedException {
        Objects.requireNonNull(config, "config");
        AdminRoutes routes = AdminEndpoints.routes(gateway, reloader);
        // The token in force: a reload may change it (admin.address it may not, so admin is never null).
        AdminAuthenticator authenticator = new AdminAuthenticator(() -> gateway.current().admin());
        ChannelGroup connections = new DefaultChannelGroup("admin", GlobalEventExecutor.INSTANCE);
        Channel listener = gateway.listen(config.host(), config.port(), new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                connections.add(ch);
                ch.config().setAutoRead(false); // AdminRequestHandler reads one request at a time
                ch.pipeline().addLast(
                        new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS),
                        new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, 8192),
                        new HttpServerKeepAliveHandler(),
                        new AdminBodyLimit(),
                        new AdminRequestHandler(routes, authenticator));
            }
        });
        AdminServer server = new AdminServer(listener, connections);
        log.info("admin API listening on {}:{}{}", config.host(), server.port(),
                config.token() == null ? " (loopback, without a token)" : "");
        return server;
    }

    /** The bound port (useful when the config asked for port 0). */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Stops listening and closes every admin connection. */
    @Override
    public void close() {
        listener.close().awaitUninterruptibly();
        connections.close().awaitUninterruptibly();
    }
}
