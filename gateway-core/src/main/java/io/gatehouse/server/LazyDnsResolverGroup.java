package io.gatehouse.server;

import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Resolves upstream addresses: one already resolved (a backend given by IP address) as it is, a host name through
 * the DNS resolver group {@code dns} makes, which is made the first time a host name needs it. A gateway whose
 * backends are all IP addresses thus never opens the DNS resolver's UDP socket nor loads its classes, which Netty
 * would otherwise do on each event loop's first connection.
 */
final class LazyDnsResolverGroup extends AddressResolverGroup<InetSocketAddress> {
    private final Supplier<AddressResolverGroup<InetSocketAddress>> dns;
    /** Made on the first host name; guarded by {@code this}. */
    private AddressResolverGroup<InetSocketAddress> made;
    private boolean closed;

    LazyDnsResolverGroup(Supplier<AddressResolverGroup<InetSocketAddress>> dns) {
        this.dns = Objects.requireNonNull(dns, "dns");
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new AbstractAddressResolver<>(executor) {
            @Override
            protected boolean doIsResolved(InetSocketAddress address) {
                return !address.isUnresolved();
            }

            @Override
            protected void doResolve(InetSocketAddress unresolved, Promise<InetSocketAddress> promise) {
                dnsResolver(executor()).resolve(unresolved, promise);
            }

            @Override
            protected void doResolveAll(InetSocketAddress unresolved, Promise<List<InetSocketAddress>> promise) {
                dnsResolver(executor()).resolveAll(unresolved, promise);
            }
        };
    }

    private synchronized AddressResolver<InetSocketAddress> dnsResolver(EventExecutor executor) {
        if (closed) {
            throw new IllegalStateException("the resolver group is closed");
        }
        if (made == null) {
            made = dns.get();
        }
        return made.getResolver(executor);
    }

    @Override
    public void close() {
        super.close();
        AddressResolverGroup<InetSocketAddress> toClose;
        synchronized (this) {
            closed = true;
            toClose = made;
        }
        if (toClose != null) {
            toClose.close();
        }
    }
}
