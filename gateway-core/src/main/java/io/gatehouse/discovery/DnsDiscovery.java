package io.gatehouse.discovery;

import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.DiscoveryConfig;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStream;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A pool's members from DNS: A, AAAA or SRV records of one name, asked with Netty's asynchronous resolver on one
 * gateway event loop. The lookup repeats when the records' TTL runs out, bounded by the config's {@code refresh}
 * and never more often than once a second. The listener hears the whole member list after the first answer and
 * then only when it changed.
 *
 * <p>NXDOMAIN and an answer without records are real answers: the pool then has no discovered members (a
 * Kubernetes headless service or a Consul service with no healthy instance answers this way). A lookup that gets
 * no answer at all (timeouts, SERVFAIL, REFUSED) keeps the last members and is retried sooner, backing off from
 * one second up to {@code refresh}.
 */
public final class DnsDiscovery implements Discovery {
    private static final Logger log = LoggerFactory.getLogger(DnsDiscovery.class);
    /** The shortest time between lookups, whatever the TTL (0 included) says. */
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    /** How long one server may take to answer, at most; a shorter {@code refresh} shortens it (to 1 s at least). */
    private static final Duration MAX_QUERY_TIMEOUT = Duration.ofSeconds(5);

    private final DiscoveryConfig.Dns config;
    private final EventLoop loop;
    private final DnsNameResolver resolver;
    private final DnsMembers members;
    private final String description;
    private volatile boolean closed;
    // Confined to the loop:
    private MembershipListener listener;
    private List<BackendConfig> reported;
    private int failuresInARow;
    private ScheduledFuture<?> nextLookup;

    /**
     * Builds the resolver on {@code loop}; reads the system's resolv.conf when the config names no servers, so
     * call it off the event loops (the installer's thread).
     */
    public DnsDiscovery(DiscoveryConfig.Dns config, EventLoop loop, Class<? extends DatagramChannel> datagramChannel,
                        Class<? extends SocketChannel> socketChannel) {
        this.config = config;
        this.loop = loop;
        List<InetSocketAddress> servers = config.servers().isEmpty() ? systemServers(config.name()) : config.servers();
        this.resolver = new DnsNameResolverBuilder(loop)
                .datagramChannelType(datagramChannel)
                .socketChannelType(socketChannel) // TCP when an answer is truncated (many SRV records)
                .nameServerProvider(new SequentialDnsServerAddressStreamProvider(servers))
                .queryTimeoutMillis(Math.min(clamp(config.refresh()).toMillis(), MAX_QUERY_TIMEOUT.toMillis()))
                .build();
        this.members = new DnsMembers(config, new DnsQuestions(resolver, loop, servers), loop);
        this.description = config.type() + " " + config.name();
    }

    private static List<InetSocketAddress> systemServers(String name) {
        DnsServerAddressStream stream = DnsServerAddressStreamProviders.platformDefault().nameServerAddressStream(name);
        List<InetSocketAddress> servers = new ArrayList<>(stream.size());
        for (int i = 0; i < stream.size(); i++) {
            servers.add(stream.next());
        }
        return servers;
    }

    @Override
    public void start(MembershipListener listener) {
        loop.execute(() -> {
            this.listener = listener;
            lookUp();
        });
    }

    private void lookUp() {
        if (closed) {
            return;
        }
        members.resolve().addListener((Future<DnsMembers.Resolved> done) -> {
            if (closed) {
                return;
            }
            Duration next = done.isSuccess() ? answered(done.getNow()) : failed(done.cause());
            nextLookup = loop.schedule(this::lookUp, next.toNanos(), TimeUnit.NANOSECONDS);
        });
    }

    /** Reports a changed member list; returns when to look again. */
    private Duration answered(DnsMembers.Resolved resolved) {
        if (failuresInARow > 0) {
            log.info("DNS discovery {}: answered again after {} failed lookups", description, failuresInARow);
            failuresInARow = 0;
        }
        if (!resolved.members().equals(reported)) {
            if (resolved.members().isEmpty()) {
                log.warn("DNS discovery {}: the name has no records now; the pool has no discovered members",
                        description);
            } else {
                log.info("DNS discovery {}: members now {}", description, addresses(resolved.members()));
            }
            reported = resolved.members();
            listener.membersChanged(reported);
        }
        long ttl = resolved.ttlSeconds();
        Duration byTtl = ttl < 0 ? config.refresh() : Duration.ofSeconds(ttl);
        return clamp(byTtl);
    }

    private Duration failed(Throwable cause) {
        failuresInARow++;
        if (failuresInARow == 1) { // once per outage; the recovery is logged too
            log.warn("DNS discovery {}: lookup failed, keeping the last known members {}: {}", description,
                    reported == null ? "(none yet)" : addresses(reported), cause.getMessage());
        }
        long backoffSeconds = MIN_INTERVAL.toSeconds() << Math.min(failuresInARow - 1, 20);
        return clamp(Duration.ofSeconds(backoffSeconds));
    }

    private Duration clamp(Duration wanted) {
        Duration bounded = wanted.compareTo(config.refresh()) > 0 ? config.refresh() : wanted;
        return bounded.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : bounded;
    }

    private static List<String> addresses(List<BackendConfig> members) {
        return members.stream().map(BackendConfig::address).toList();
    }

    /** Stops looking up; the listener hears nothing more. Callable from any thread. */
    @Override
    public void close() {
        closed = true;
        try {
            loop.execute(this::closeOnLoop);
        } catch (RejectedExecutionException e) {
            resolver.close(); // the loop is shutting down: nothing left to race with
        }
    }

    private void closeOnLoop() {
        if (nextLookup != null) {
            nextLookup.cancel(false);
        }
        resolver.close();
    }
}
