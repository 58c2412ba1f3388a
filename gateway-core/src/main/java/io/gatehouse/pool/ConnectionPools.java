package io.gatehouse.pool;

import io.gatehouse.config.PoolConfig;
import io.gatehouse.upstream.Backend;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.resolver.AddressResolverGroup;

import java.net.InetSocketAddress;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the {@link BackendConnectionPool} of an (event loop, backend) pair, creating it on that loop the first
 * time. A backend's {@code max_connections} is divided between the loops.
 */
public final class ConnectionPools {
    private final Bootstrap template;
    private final int loopCount;
    private final Map<EventLoop, Map<Backend, BackendConnectionPool>> byLoop = new ConcurrentHashMap<>();
    private final Map<Backend, ConnectionCounts> counts = new ConcurrentHashMap<>();

    public ConnectionPools(Class<? extends SocketChannel> channelClass, AddressResolverGroup<InetSocketAddress> resolver,
                           int loopCount, WriteBufferWaterMark waterMark) {
        this.loopCount = loopCount;
        this.template = new Bootstrap()
                .channel(channelClass)
                .resolver(resolver)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark);
    }

    /** Must be called on {@code loop}. */
    public BackendConnectionPool get(EventLoop loop, Backend backend, PoolConfig config) {
        Map<Backend, BackendConnectionPool> pools = byLoop.computeIfAbsent(loop, l -> new IdentityHashMap<>());
        BackendConnectionPool pool = pools.get(backend);
        if (pool == null) {
            int perLoop = Math.max(1, (config.maxConnections() + loopCount - 1) / loopCount);
            pool = new BackendConnectionPool(loop, backend, template, perLoop, config.maxPendingAcquires(),
                    config.keepaliveTimeout().toMillis(), countsOf(backend));
            pools.put(backend, pool);
        }
        return pool;
    }

    /** Live connection counts for one backend, summed over all loops. */
    public ConnectionCounts countsOf(Backend backend) {
        return counts.computeIfAbsent(backend, b -> new ConnectionCounts());
    }
}
