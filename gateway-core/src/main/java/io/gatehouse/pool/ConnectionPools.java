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
 * Finds the {@link SlotPool} of an (event loop, backend) pair, creating it on that loop the first time: a
 * {@link BackendConnectionPool} for HTTP/1.1, an {@link Http2ConnectionPool} for h2 and h2c. A backend's
 * {@code max_connections} is divided between the loops.
 */
public final class ConnectionPools {
    private final Bootstrap template;
    private final int loopCount;
    private final Map<EventLoop, Map<Backend, SlotPool>> byLoop = new ConcurrentHashMap<>();
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
    public SlotPool get(EventLoop loop, Backend backend, PoolConfig config) {
        Map<Backend, SlotPool> pools = byLoop.computeIfAbsent(loop, l -> new IdentityHashMap<>());
        SlotPool pool = pools.get(backend);
        if (pool == null) {
            int perLoop = Math.max(1, (config.maxConnections() + loopCount - 1) / loopCount);
            pool = backend.protocol().multiplexed()
                    ? new Http2ConnectionPool(loop, backend, template, perLoop, config.maxPendingAcquires(),
                            config.keepaliveTimeout().toMillis(), countsOf(backend))
                    : new BackendConnectionPool(loop, backend, template, perLoop, config.maxPendingAcquires(),
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
            SlotPool pool = pools.remove(backend);
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
        for (Map.Entry<EventLoop, Map<Backend, SlotPool>> entry : byLoop.entrySet()) {
            Map<Backend, SlotPool> pools = entry.getValue();
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
