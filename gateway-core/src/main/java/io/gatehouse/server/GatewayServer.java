package io.gatehouse.server;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.discovery.Discovery;
import io.gatehouse.discovery.DiscoveryContext;
import io.gatehouse.etcd.EtcdClients;
import io.gatehouse.lifecycle.Readiness;
import io.gatehouse.log.AccessLog;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.metrics.MeterTrail;
import io.gatehouse.pool.ConnectionPools;
import io.gatehouse.proxy.GatewayRuntime;
import io.gatehouse.proxy.GatewaySnapshot;
import io.gatehouse.proxy.downstream.ClientConnectionHandler;
import io.gatehouse.proxy.websocket.Tunnel;
import io.gatehouse.reload.ConfigInstaller;
import io.gatehouse.security.EdgeSecurity;
import io.gatehouse.tracing.GatewayTracing;
import io.gatehouse.tracing.TracingCounters;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * A running gateway: one event loop group shared by the listeners (plain, and HTTPS with {@code server.tls}), the
 * client connections, the upstream connections and the health checks. {@link #start} returns once the listeners
 * are bound, or throws
 * {@link CannotListenException} having released everything it started; {@link #shutdown} drains gracefully.
 *
 * <p>It is the {@link ConfigInstaller}: {@link #install} compiles a whole new {@link GatewaySnapshot} (pools built by
 * {@link LiveUpstreams}, members from {@link PoolDiscoveries}) and publishes it with one volatile write; requests
 * already under way finish on the snapshot they started with. Installs are serialized (reloads, and the members a
 * discovery reports, which are applied on a thread of their own and rebuild only the pools they change).
 */
public final class GatewayServer implements ConfigInstaller {
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
    /** Per-channel outbound buffering before reading from the other side pauses. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    private final Transport transport;
    private final EventLoopGroup group;
    private final AddressResolverGroup<InetSocketAddress> resolver;
    private final LongSupplier nanoClock;
    private final GatewayMetrics metrics;
    private final LiveUpstreams upstreams;
    private final PoolDiscoveries discoveries;
    private final FirstMembersGate firstMembers;
    /** The etcd clients this gateway made for itself (none given in its options), or null. */
    private final EtcdClients ownEtcdClients;
    private final GatewayRuntime runtime;
    private final AccessLog accessLog;
    private final TracingCounters tracingCounters;
    /** Null: each tracing configuration exports to its OTLP endpoint. */
    private final SpanExporter spanExporter;
    private final ChannelGroup clients = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    /** Installs the configuration again when a discovery reports members; one at a time, coalesced. */
    private final ExecutorService reinstaller;
    private final AtomicBoolean reinstallPending = new AtomicBoolean();
    private final Object installLock = new Object();
    /** The configuration in force as written (without discovered members); guarded by installLock for writes. */
    private volatile GatewayConfig config;
    private Listeners listeners;

    private GatewayServer(GatewayConfig config, Transport transport, StartOptions options) {
        this.config = config;
        this.transport = transport;
        this.group = transport.newGroup(options.threads());
        this.resolver = transport.newResolverGroup();
        this.nanoClock = options.nanoClock();
        this.metrics = GatewayMetrics.of(config.metrics());
        this.accessLog = AccessLog.open(options.accessLogOut());
        metrics.registerAccessLog(accessLog);
        this.tracingCounters = metrics.tracingCounters();
        this.spanExporter = options.spanExporter();
        ConnectionPools connectionPools = new ConnectionPools(transport.socketChannelClass(), resolver,
                options.threads(), WATER_MARK);
        Bootstrap probeTemplate = new Bootstrap().channel(transport.socketChannelClass()).resolver(resolver);
        this.upstreams = new LiveUpstreams(group, metrics, connectionPools, probeTemplate, nanoClock);
        this.ownEtcdClients = options.etcdClients() == null ? EtcdClients.withoutConfigCluster() : null;
        this.discoveries = new PoolDiscoveries(options.discoveries(), new DiscoveryContext(group,
                transport.datagramChannelClass(), transport.socketChannelClass(),
                ownEtcdClients == null ? options.etcdClients() : ownEtcdClients), this::reinstallSoon);
        this.reinstaller = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gatehouse-reinstall");
            thread.setDaemon(true);
            return thread;
        });
        GatewaySnapshot first = GatewaySnapshot.compile(config, upstreams.plan(config, Map.of(), true),
                new EdgeSecurity(config, metrics, group, nanoClock),
                GatewayTracing.start(config.tracing(), tracingCounters, spanExporter), metrics, nanoClock, null);
        this.firstMembers = new FirstMembersGate(config);
        this.runtime = new GatewayRuntime(first, connectionPools, metrics, accessLog, nanoClock,
                List.of(firstMembers));
    }

    /** Starts with one event loop per available processor and the best transport. */
    public static GatewayServer start(GatewayConfig config) throws InterruptedException {
        return start(config, StartOptions.defaults());
    }

    public static GatewayServer start(GatewayConfig config, int threads) throws InterruptedException {
        return start(config, StartOptions.defaults().threads(threads));
    }

    /**
     * Starts with the access-log lines written to {@code accessLogOut} (tests read them back this way), which the
     * gateway flushes but never closes.
     */
    public static GatewayServer start(GatewayConfig config, int threads, OutputStream accessLogOut)
            throws InterruptedException {
        return start(config, StartOptions.defaults().threads(threads).accessLogOut(accessLogOut));
    }

    public static GatewayServer start(GatewayConfig config, StartOptions options) throws InterruptedException {
        Transport transport = Transport.best();
        GatewayServer server = new GatewayServer(config, transport, options);
        try {
            server.metrics.awaitJvmMeters(); // listening means ready: /metrics has them from the first scrape
            server.bind(transport);
        } catch (RuntimeException | InterruptedException e) {
            server.discoveries.close();
            server.closeOwnEtcdClients();
            server.reinstaller.shutdownNow();
            server.upstreams.stop();
            server.runtime.snapshot().security().close();
            TracingShutdown.now(server.runtime.snapshot().tracing(), Duration.ZERO);
            server.group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            server.resolver.close();
            server.accessLog.close();
            server.metrics.close();
            throw e;
        }
        log.info("Gatehouse listening on {}:{}{} ({} transport, {} event loops, {} routes, {} pools)",
                config.server().host(), server.port(), server.tlsPort() < 0 ? "" : " and HTTPS :" + server.tlsPort(),
                transport.name().toLowerCase(), options.threads(), config.routes().size(), config.pools().size());
        return server;
    }

    private void bind(Transport transport) throws InterruptedException {
        listeners = Listeners.bind(group, transport, WATER_MARK, runtime, clients, metrics);
        runtime.httpsPort(listeners.httpsPort());
        GatewaySnapshot first = runtime.snapshot();
        upstreams.commit(Map.of(), first.pools());
        first.security().start();
        discoveries.commit(config, discoveries.prepare(config));
        Readiness readiness = runtime.readiness();
        readiness.markStarted();
        group.schedule(readiness::timeoutPassed, readiness.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Binds another listener, such as the admin API's, on this gateway's event loops and transport. Its channels
     * are the caller's to close; they close anyway when the gateway shuts down its event loops.
     *
     * @throws CannotListenException naming the address and the reason
     */
    public Channel listen(String host, int port, ChannelInitializer<Channel> childHandler) throws InterruptedException {
        ChannelFuture bound = ListenerBootstrap.create(group, transport)
                .childHandler(childHandler)
                .bind(host, port)
                .await();
        if (!bound.isSuccess()) {
            throw new CannotListenException(host, port, bound.cause());
        }
        return bound.channel();
    }

    /** The configuration in force, as written: each discovering pool's members are in {@link #snapshot()}. */
    @Override
    public GatewayConfig current() {
        return config;
    }

    /** The compiled configuration in force: routes, and every pool with its backends, discovered ones included. */
    public GatewaySnapshot snapshot() {
        return runtime.snapshot();
    }

    /**
     * Compiles {@code next} whole (pools, security chain, router), then publishes it with one volatile write and
     * makes its pools live. Backends kept by the new configuration keep their connections and state; removed ones
     * finish their requests, then close. Never call it on an event loop.
     *
     * @throws ConfigException when {@code next} cannot be compiled; then nothing changed
     */
    @Override
    public void install(GatewayConfig next) {
        synchronized (installLock) {
            GatewaySnapshot current = runtime.snapshot();
            FixedSettings.refuseChanges(current.config(), next);
            Map<String, Discovery> startedDiscoveries = discoveries.prepare(next);
            Set<String> reported = discoveries.reportedPools(); // before compiling: the snapshot holds at least these
            GatewaySnapshot compiled;
            try (MeterTrail trail = metrics.trail()) {
                compiled = compileAndStart(next, current, trail);
            } catch (RuntimeException e) {
                startedDiscoveries.values().forEach(Discovery::close);
                throw e instanceof ConfigException config ? config : new ConfigException(e.getMessage());
            }
            runtime.publish(compiled);
            if (compiled.tracing() != current.tracing()) {
                TracingShutdown.inBackground(current.tracing()); // its requests in flight may lose their spans
            }
            upstreams.commit(current.pools(), compiled.pools());
            current.security().retire(compiled.security());
            config = next;
            discoveries.commit(next, startedDiscoveries);
            firstMembers.inForce(reported, next);
            if (!compiled.server().http2().equals(current.server().http2())) {
                ClientDrains.drainHttp2(clients); // new limits apply to new connections: ask clients to reconnect
            }
        }
    }

    /**
     * The snapshot of {@code next}, its security chain started. When anything fails, leaves nothing behind: the new
     * security chain is retired against the one in force (a Redis client or JWKS refresher it made is closed, what
     * it shares stays), and the meters the attempt registered are removed.
     */
    private GatewaySnapshot compileAndStart(GatewayConfig next, GatewaySnapshot current, MeterTrail trail) {
        EdgeSecurity security = null;
        GatewayTracing tracing = current.tracing();
        try {
            // Shares rate-limit buckets, the Redis connection and the JWT caches that next leaves unchanged.
            security = current.security().reconfigure(next);
            if (!next.tracing().equals(current.config().tracing())) {
                tracing = GatewayTracing.start(next.tracing(), tracingCounters, spanExporter);
            }
            GatewayConfig effective = discoveries.effective(next);
            GatewaySnapshot compiled = GatewaySnapshot.compile(effective,
                    upstreams.plan(effective, current.pools(), false), security, tracing, metrics, nanoClock, current);
            security.start(); // starts only what it does not share
            return compiled;
        } catch (RuntimeException e) {
            if (security != null) {
                security.retire(current.security());
            }
            if (tracing != current.tracing()) {
                TracingShutdown.inBackground(tracing);
            }
            trail.discard();
            throw e;
        }
    }

    /** A discovery reported new members: apply them on the reinstall thread, coalescing reports meanwhile. */
    private void reinstallSoon() {
        if (reinstallPending.compareAndSet(false, true)) {
            reinstaller.execute(() -> {
                reinstallPending.set(false);
                try {
                    installMembers();
                } catch (RuntimeException e) {
                    log.error("could not apply the members a discovery reported: {}", e.getMessage());
                }
            });
        }
    }

    /**
     * Publishes the snapshot in force with each discovering pool's members as now known, through the same
     * serialized path as {@link #install}. Work in proportion to the change: only the pools whose members changed
     * are rebuilt (their kept backends carried over), and the handles of the routes to them; the router is copied,
     * not compiled, and the security chain is kept as it is.
     */
    private void installMembers() {
        synchronized (installLock) { // read under the lock: a reload finishing first must not be undone
            GatewaySnapshot current = runtime.snapshot();
            Set<String> reported = discoveries.reportedPools(); // before effective(): it holds at least these
            GatewayConfig effective = discoveries.effective(config);
            GatewaySnapshot next;
            try (MeterTrail trail = metrics.trail()) {
                try {
                    next = current.withPools(effective, upstreams.plan(effective, current.pools(), false));
                } catch (RuntimeException e) {
                    trail.discard();
                    throw e;
                }
            }
            if (next != current) {
                runtime.publish(next);
                upstreams.commit(current.pools(), next.pools());
            }
            firstMembers.inForce(reported, config);
        }
    }

    /** The bound port (useful when the config asked for port 0). */
    public int port() {
        return listeners.port();
    }

    /** The bound HTTPS port, or -1 without {@code server.tls}. */
    public int tlsPort() {
        return listeners.httpsPort();
    }

    public GatewayRuntime runtime() {
        return runtime;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    /** Graceful shutdown with the configured {@code server.shutdown_grace}. */
    public void shutdown() {
        shutdown(runtime.snapshot().server().shutdownGrace());
    }

    /**
     * Stops accepting, reports not-ready, lets in-flight requests finish (each connection closes after its
     * current response, idle ones at once; an HTTP/2 one gets a graceful GOAWAY and closes when its streams are done)
     * for up to {@code grace}, then closes whatever is left.
     */
    public void shutdown(Duration grace) {
        runtime.readiness().markDraining();
        listeners.stopAccepting();
        ClientDrains.drainAll(clients);
        long deadline = System.nanoTime() + grace.toNanos();
        while (!clients.isEmpty() && System.nanoTime() < deadline) {
            sleepBriefly();
        }
        if (!clients.isEmpty()) {
            log.warn("shutdown grace of {} ms elapsed; closing {} connections with requests in flight",
                    grace.toMillis(), clients.size());
        }
        clients.close().awaitUninterruptibly();
        listeners.release();
        discoveries.close();
        closeOwnEtcdClients();
        reinstaller.shutdownNow();
        synchronized (installLock) { // an install under way finishes first
            upstreams.stop();
            runtime.snapshot().security().close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        TracingShutdown.now(runtime.snapshot().tracing(), TracingShutdown.FLUSH_BOUND); // every span has ended by now
        resolver.close();
        accessLog.close(); // after the event loops stopped: every request's line is queued by now
        metrics.close();
        log.info("Gatehouse stopped");
    }

    private void closeOwnEtcdClients() {
        if (ownEtcdClients != null) {
            ownEtcdClients.close();
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(20); // the shutdown thread, never an event loop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
