package io.gatehouse.upstream;

import io.gatehouse.config.BackendConfig;
import io.netty.util.NetUtil;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One backend server of a pool: its address, weight, live in-flight count and health.
 * Shared by every event loop, so its mutable state is atomic or volatile.
 */
public final class Backend {
    private final BackendConfig config;
    private final InetSocketAddress socketAddress;
    private final String hostHeader;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean healthy = true;

    public Backend(BackendConfig config) {
        this.config = config;
        // An IP literal is parsed without a lookup; a name stays unresolved for the asynchronous DNS resolver.
        this.socketAddress = NetUtil.isValidIpV4Address(config.host()) || NetUtil.isValidIpV6Address(config.host())
                ? new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(config.host()), config.port())
                : InetSocketAddress.createUnresolved(config.host(), config.port());
        this.hostHeader = config.port() == 80 ? config.uriHost() : config.address();
    }

    /** The {@code Host} header a request to this backend carries unless its route preserves the client's. */
    public String hostHeader() {
        return hostHeader;
    }

    /** {@code host:port}: the backend's label in metrics and logs. */
    public String address() {
        return config.address();
    }

    public String host() {
        return config.host();
    }

    public int port() {
        return config.port();
    }

    /** Resolved for IP literals; otherwise unresolved, and the connecting bootstrap resolves it asynchronously. */
    public InetSocketAddress socketAddress() {
        return socketAddress;
    }

    public int weight() {
        return config.weight();
    }

    /** Requests currently sent to this backend and not yet finished, across all event loops. */
    public int inFlight() {
        return inFlight.get();
    }

    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    public void requestFinished() {
        inFlight.decrementAndGet();
    }

    public boolean isHealthy() {
        return healthy;
    }

    /** Only {@link UpstreamPool} changes health, so that it can rebuild its healthy snapshot. */
    void setHealthy(boolean healthy) {
        this.healthy = healthy;
    }

    @Override
    public String toString() {
        return address();
    }
}
