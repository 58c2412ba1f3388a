package io.gatehouse.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.util.NetUtil;

/**
 * How every listener of the gateway accepts connections. Two things differ from Netty's defaults:
 * <ul>
 *   <li>Each wake-up of the listening socket accepts every connection waiting, not one. With its default allocator
 *   Netty's epoll server channel stops after one accept (it takes the file descriptor for a byte count and decides
 *   there is "no more data"), so under load a burst of clients was taken in at one per event-loop turn: 1,000 new
 *   connections waited seconds in the kernel's queue while the loop served the others.</li>
 *   <li>The accept queue is as long as the kernel allows ({@code net.core.somaxconn}), as nginx's is.</li>
 * </ul>
 * The loop ends when accept says none is left, so it is bounded by that queue.
 */
final class ListenerBootstrap {
    private ListenerBootstrap() {
    }

    static ServerBootstrap create(EventLoopGroup group, Transport transport) {
        return new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, NetUtil.SOMAXCONN)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new ServerChannelRecvByteBufAllocator()
                        .respectMaybeMoreData(false)
                        .maxMessagesPerRead(Integer.MAX_VALUE))
                .childOption(ChannelOption.TCP_NODELAY, true);
    }
}
