package io.gatehouse.server;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LazyDnsResolverGroupTest {
    private final EventLoopGroup loops = Transport.NIO.newGroup(1);
    private final EventLoop loop = loops.next();
    private final AtomicInteger dnsGroupsMade = new AtomicInteger();
    private final LazyDnsResolverGroup group = new LazyDnsResolverGroup(() -> {
        dnsGroupsMade.incrementAndGet();
        return new DnsAddressResolverGroup(new DnsNameResolverBuilder()
                .datagramChannelType(NioDatagramChannel.class).socketChannelType(NioSocketChannel.class));
    });

    @AfterEach
    void stop() {
        group.close();
        loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void anIpAddressIsUsedAsItIsWithoutMakingTheDnsResolver() throws Exception {
        InetSocketAddress backend = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, 7}), 8080);
        AddressResolver<InetSocketAddress> resolver = group.getResolver(loop);

        assertThat(resolver.isResolved(backend)).isTrue();
        assertThat(resolver.resolve(backend).get()).isSameAs(backend);
        assertThat(dnsGroupsMade).hasValue(0);
    }

    @Test
    void aHostNameIsResolvedThroughOneDnsResolverMadeOnFirstNeed() throws Exception {
        AddressResolver<InetSocketAddress> resolver = group.getResolver(loop);
        InetSocketAddress backend = InetSocketAddress.createUnresolved("localhost", 8080);

        InetSocketAddress first = resolver.resolve(backend).get();
        InetSocketAddress second = resolver.resolve(backend).get();

        assertThat(first.isUnresolved()).isFalse();
        assertThat(first.getAddress().isLoopbackAddress()).isTrue();
        assertThat(first.getPort()).isEqualTo(8080);
        assertThat(second).isEqualTo(first);
        assertThat(resolver.resolveAll(backend).get()).isNotEmpty();
        assertThat(dnsGroupsMade).hasValue(1);
    }

    @Test
    void aHostNameFailsOnceTheGroupIsClosed() {
        AddressResolver<InetSocketAddress> resolver = group.getResolver(loop);
        group.close();

        assertThat(resolver.resolve(InetSocketAddress.createUnresolved("localhost", 8080)).awaitUninterruptibly()
                .cause()).isInstanceOf(IllegalStateException.class);
    }
}
