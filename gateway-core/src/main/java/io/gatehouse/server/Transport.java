package io.gatehouse.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;

import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * The I/O transport: native epoll when its library loads, NIO otherwise. One worker group built here serves
 * both the client side and the upstream side, so an upstream connection lives on its client's event loop.
 */
public enum Transport {
    EPOLL(EpollServerSocketChannel.class, EpollSocketChannel.class, EpollDatagramChannel.class),
    NIO(NioServerSocketChannel.class, NioSocketChannel.class, NioDatagramChannel.class);

    private static final Logger log = LoggerFactory.getLogger(Transport.class);

    private final Class<? extends ServerChannel> serverChannelClass;
    private final Class<? extends SocketChannel> socketChannelClass;

    private final Class<? extends DatagramChannel> datagramChannelClass;

    Transport(Class<? extends ServerChannel> serverChannelClass, Class<? extends SocketChannel> socketChannelClass,
              Class<? extends DatagramChannel> datagramChannelClass) {
        this.datagramChannelClass = datagramChannelClass;
        this.serverChannelClass = serverChannelClass;
        this.socketChannelClass = socketChannelClass;
    }

    /**
     * What {@code -Dgatehouse.transport} asks for: {@code auto} (the default) is epoll when its native library loads
     * (Linux x86_64 and aarch64 with the fat jar) and NIO otherwise; {@code nio} forces NIO; {@code epoll} requires
     * epoll and fails the start with the reason it cannot load.
     */
    public static Transport best() {
        String wanted = System.getProperty("gatehouse.transport", "auto").toLowerCase(Locale.ROOT);
        switch (wanted) {
            case "nio":
                return NIO;
            case "epoll":
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("gatehouse.transport=epoll: the native epoll library does not load",
                            Epoll.unavailabilityCause());
                }
                return EPOLL;
            case "auto":
                if (Epoll.isAvailable()) {
                    return EPOLL;
                }
                log.debug("Native epoll unavailable, using NIO", Epoll.unavailabilityCause());
                return NIO;
            default:
                throw new IllegalArgumentException("gatehouse.transport: " + wanted + " (expected: auto, epoll or nio)");
        }
    }

    public EventLoopGroup newGroup(int threads) {
        // Created on demand: the epoll factory must not be touched when the native library is missing.
        IoHandlerFactory factory = this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, factory);
    }

    public Class<? extends ServerChannel> serverChannelClass() {
        return serverChannelClass;
    }

    public Class<? extends SocketChannel> socketChannelClass() {
        return socketChannelClass;
    }

    public Class<? extends DatagramChannel> datagramChannelClass() {
        return datagramChannelClass;
    }

    /** An asynchronous DNS resolver (honouring /etc/hosts) for backend host names, made when one first needs it. */
    public AddressResolverGroup<InetSocketAddress> newResolverGroup() {
        return new LazyDnsResolverGroup(() -> new DnsAddressResolverGroup(new DnsNameResolverBuilder()
                .datagramChannelType(datagramChannelClass)
                .socketChannelType(socketChannelClass)));
    }
}
