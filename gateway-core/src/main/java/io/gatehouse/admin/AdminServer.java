package io.gatehouse.admin;

import io.gatehouse.config.AdminConfig;
import io.gatehouse.reload.ConfigReloader;
import io.gatehouse.server.GatewayServer;
import io.gatehouse.stats.RouteStats;
import io.gatehouse.stats.StatsSampler;
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
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The admin API's own listener (docs/admin.md), on the gateway's event loops. Off unless {@code admin:} is
 * configured. Every request is read whole (bounded by {@link AdminBodyLimit}); an API request is authenticated and
 * answered in JSON, and any other path is a file of the dashboard ({@link DashboardAssets}), whose charts the route
 * statistics sampled here once a second feed ({@link RouteStats}).
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    /** An admin connection with no request for this long is closed. */
    private static final long IDLE_SECONDS = 60;
    private static final int MAX_INITIAL_LINE = 8 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    /** Admin requests waiting for the worker beyond this are refused with 503 {@code busy}. */
    private static final int MAX_QUEUED = 64;

    private final Channel listener;
    private final ChannelGroup connections;
    private final ExecutorService worker;
    private final StatsSampler sampler;

    private AdminServer(Channel listener, ChannelGroup connections, ExecutorService worker, StatsSampler sampler) {
        this.listener = listener;
        this.connections = connections;
        this.worker = worker;
        this.sampler = sampler;
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
        RouteStats stats = new RouteStats(gateway::snapshot, Clock.systemUTC());
        AdminRoutes routes = AdminEndpoints.routes(gateway, reloader, stats);
        DashboardAssets dashboard = DashboardAssets.load();
        // The token in force: a reload may change it (admin.address it may not, so admin is never null).
        AdminAuthenticator authenticator = new AdminAuthenticator(() -> gateway.current().admin());
        ChannelGroup connections = new DefaultChannelGroup("admin", GlobalEventExecutor.INSTANCE);
        ExecutorService worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MAX_QUEUED), runnable -> {
                    Thread thread = new Thread(runnable, "gatehouse-admin");
                    thread.setDaemon(true);
                    return thread;
                });
        Channel listener;
        try {
            listener = gateway.listen(config.host(), config.port(),
                    initializer(connections, routes, dashboard, authenticator, worker));
        } catch (RuntimeException | InterruptedException e) {
            worker.shutdownNow();
            throw e;
        }
        AdminServer server = new AdminServer(listener, connections, worker, StatsSampler.start(stats));
        log.info("admin API listening on {}:{}{}", config.host(), server.port(),
                config.token() == null ? " (loopback, without a token)" : "");
        return server;
    }

    private static ChannelInitializer<Channel> initializer(ChannelGroup connections, AdminRoutes routes,
                                                           DashboardAssets dashboard,
                                                           AdminAuthenticator authenticator, Executor worker) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                connections.add(ch);
                ch.config().setAutoRead(false); // AdminRequestHandler reads when it is ready for a request
                ch.pipeline().addLast(
                        new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS),
                        new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, 8192),
                        new HttpServerKeepAliveHandler(),
                        new AdminBodyLimit(),
                        new AdminRequestHandler(routes, dashboard, authenticator, worker));
            }
        };
    }

    /** The bound port (useful when the config asked for port 0). */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Stops listening, closes every admin connection and stops the worker. */
    @Override
    public void close() {
        listener.close().awaitUninterruptibly();
        connections.close().awaitUninterruptibly();
        worker.shutdownNow();
        sampler.close();
    }
}
