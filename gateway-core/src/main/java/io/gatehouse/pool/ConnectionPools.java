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

    /**
     * Closes every connection to a backend no request holds any more ({@link Backend#retire()} said so) and forgets
     * its pools, on each loop that has one. A connection still finishing its last exchange closes when released.
     */
    public void retire(Backend backend) {
        counts.remove(backend);
        byLoop.forEach((loop, pools) -> loop.execute(() -> {
            BackendConnectionPool pool = pools.remove(backend);
            if (pool != null) {
                pool.retire();
            }
        }));
    }

    /**
     * Whether any loop still keeps a connection pool for {@code backend}. Asks each loop and waits for the answers,
     * so it must never run on an event loop (tests, admin).
     */
    public boolean holds(Backend backend) {
        if (counts.containsKey(backend)) {
            return true;
        }
        for (Map.Entry<EventLoop, Map<Backend, BackendConnectionPool>> entry : byLoop.entrySet()) {
            Map<Backend, BackendConnectionPool> pools = entry.getValue();
            if (entry.getKey().submit(() -> pools.containsKey(backend)).syncUninterruptibly().getNow()) {
                return true;
            }
        }
        return false;
    }

    /** Live connection counts for one backend, summed over all loops; the pools of {@code backend} add to them. */
    ConnectionCounts countsOf(Backend backend) {
        return counts.computeIfAbsent(backend, b -> new ConnectionCounts());
    }

    /**
     * The connection counts of {@code backend} for reading (metrics, admin): zero until it had its first connection.
     * Creates nothing, so reading a backend a reload retired meanwhile leaves nothing behind.
     */
    public ConnectionCounts peekCounts(Backend backend) {
        return counts.getOrDefault(backend, ConnectionCounts.NONE);
    }
}
