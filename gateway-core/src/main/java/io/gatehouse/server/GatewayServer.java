package io.gatehouse.server;

import io.gatehouse.config.GatewayConfig;
import io.gatehouse.config.PoolConfig;
import io.gatehouse.health.HealthChecker;
import io.gatehouse.lifecycle.Readiness;
import io.gatehouse.log.AccessLog;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.pool.ConnectionPools;
import io.gatehouse.proxy.ClientConnectionHandler;
import io.gatehouse.proxy.GatewayRuntime;
import io.gatehouse.security.EdgeSecurity;
import io.gatehouse.upstream.UpstreamPool;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A running gateway: one event loop group shared by the listener, the client connections, the upstream
 * connections and the health checks. {@link #start} returns once the listener is bound, or throws
 * {@link CannotListenException} having released everything it started; {@link #shutdown} drains gracefully.
 */
public final class GatewayServer {
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
    /** Per-channel outbound buffering before reading from the other side pauses. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    private final GatewayConfig config;
    private final EventLoopGroup group;
    private final AddressResolverGroup<InetSocketAddress> resolver;
    private final GatewayRuntime runtime;
    private final AccessLog accessLog;
    private final ChannelGroup clients = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    private final List<HealthChecker> healthCheckers = new ArrayList<>();
    private Channel serverChannel;

    private GatewayServer(GatewayConfig config, Transport transport, int threads, AccessLog accessLog) {
        this.config = config;
        this.group = transport.newGroup(threads);
        this.resolver = transport.newResolverGroup();
        this.accessLog = accessLog;
        GatewayMetrics metrics = new GatewayMetrics();
        metrics.registerAccessLog(accessLog);
        ConnectionPools connectionPools = new ConnectionPools(transport.socketChannelClass(), resolver, threads,
                WATER_MARK);
        Map<String, UpstreamPool> pools = new LinkedHashMap<>();
        for (PoolConfig poolConfig : config.pools().values()) {
            UpstreamPool pool = new UpstreamPool(poolConfig, group.next(), metrics.poolEvents(poolConfig));
            pools.put(pool.name(), pool);
            metrics.registerPool(pool, connectionPools::countsOf);
        }
        this.runtime = new GatewayRuntime(config, pools, connectionPools, metrics,
                new EdgeSecurity(config, metrics, group), accessLog);
        Bootstrap probeTemplate = new Bootstrap().channel(transport.socketChannelClass()).resolver(resolver);
        for (UpstreamPool pool : pools.values()) {
            if (pool.config().healthCheck() != null) {
                healthCheckers.add(new HealthChecker(pool, probeTemplate));
            }
        }
    }

    /** Starts with one event loop per available processor and the best transport. */
    public static GatewayServer start(GatewayConfig config) throws InterruptedException {
        return start(config, Runtime.getRuntime().availableProcessors());
    }

    public static GatewayServer start(GatewayConfig config, int threads) throws InterruptedException {
        return start(config, threads, new FileOutputStream(FileDescriptor.out));
    }

    /**
     * Starts with the access-log lines written to {@code accessLogOut} (tests read them back this way), which the
     * gateway flushes but never closes.
     */
    public static GatewayServer start(GatewayConfig config, int threads, OutputStream accessLogOut)
            throws InterruptedException {
        Transport transport = Transport.best();
        GatewayServer server = new GatewayServer(config, transport, threads, AccessLog.open(accessLogOut));
        try {
            server.bind(transport);
        } catch (RuntimeException | InterruptedException e) {
            server.runtime.security().close();
            server.group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            server.resolver.close();
            server.accessLog.close();
            throw e;
        }
        log.info("Gatehouse listening on {}:{} ({} transport, {} event loops, {} routes, {} pools)",
                config.server().host(), server.port(), transport.name().toLowerCase(), threads,
                config.routes().size(), config.pools().size());
        return server;
    }

    private void bind(Transport transport) throws InterruptedException {
        String host = config.server().host();
        int port = config.server().port();
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new GatewayChannelInitializer(runtime, clients))
                .bind(host, port)
                .await();
        if (!bound.isSuccess()) {
            // Thrown as our own unchecked exception (not sync()'s sneaky BindException) so start() cleans up.
            throw new CannotListenException(host, port, bound.cause());
        }
        serverChannel = bound.channel();
        healthCheckers.forEach(HealthChecker::start);
        runtime.security().start();
        Readiness readiness = runtime.readiness();
        readiness.markStarted();
        group.schedule(readiness::timeoutPassed, readiness.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The bound port (useful when the config asked for port 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public GatewayRuntime runtime() {
        return runtime;
    }

    public GatewayMetrics metrics() {
        return runtime.metrics();
    }

    /** Graceful shutdown with the configured {@code server.shutdown_grace}. */
    public void shutdown() {
        shutdown(config.server().shutdownGrace());
    }

    /**
     * Stops accepting, reports not-ready, lets in-flight requests finish (each connection closes after its
     * current response, idle ones at once) for up to {@code grace}, then closes whatever is left.
     */
    public void shutdown(Duration grace) {
        runtime.readiness().markDraining();
        serverChannel.close().awaitUninterruptibly();
        for (Channel client : clients) {
            client.eventLoop().execute(() -> {
                ClientConnectionHandler handler = client.pipeline().get(ClientConnectionHandler.class);
                if (handler != null) {
                    handler.drain();
                }
            });
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (!clients.isEmpty() && System.nanoTime() < deadline) {
            sleepBriefly();
        }
        if (!clients.isEmpty()) {
            log.warn("shutdown grace of {} ms elapsed; closing {} connections with requests in flight",
                    grace.toMillis(), clients.size());
        }
        clients.close().awaitUninterruptibly();
        healthCheckers.forEach(HealthChecker::stop);
        runtime.security().close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        resolver.close();
        accessLog.close(); // after the event loops stopped: every request's line is queued by now
        log.info("Gatehouse stopped");
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(20); // the shutdown thread, never an event loop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
