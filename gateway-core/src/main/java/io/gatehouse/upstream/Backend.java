package io.gatehouse.upstream;

import io.gatehouse.config.BackendConfig;
import io.gatehouse.resilience.Bulkhead;
import io.gatehouse.resilience.CircuitBreaker;
import io.netty.util.NetUtil;

import java.net.InetSocketAddress;

/**
 * One backend server of a pool: its address, weight, live in-flight count (bounded by the pool's per-backend
 * bulkhead), active health, ejections (by outlier detection, and for refusing connections) and circuit breaker. Shared by every event loop, so its mutable state is
 * atomic or volatile.
 */
public final class Backend {
    private final BackendConfig config;
    private final int index;
    private final CircuitBreaker breaker;
    private final InetSocketAddress socketAddress;
    private final String hostHeader;
    private final Bulkhead bulkhead;
    private volatile boolean healthy = true;
    private volatile boolean outlierEjected;
    private volatile boolean connectEjected;

    /** A backend outside any pool, with no bulkhead and no breaker (balancer tests and benchmarks). */
    public Backend(BackendConfig config) {
        this(config, 0, Integer.MAX_VALUE, null);
    }

    /**
     * @param index       its position in its pool
     * @param maxInFlight the per-backend bulkhead; {@link Integer#MAX_VALUE} for none
     * @param breaker     {@code null} when its pool has no circuit breakers
     */
    Backend(BackendConfig config, int index, int maxInFlight, CircuitBreaker breaker) {
        this.config = config;
        this.index = index;
        this.bulkhead = new Bulkhead(maxInFlight);
        this.breaker = breaker;
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
        return bulkhead.inFlight();
    }

    /**
     * Takes a place in this backend's bulkhead and, if it has a breaker, a permit from it.
     *
     * @return the breaker permit (0 without a breaker), or {@link CircuitBreaker#NO_PERMIT} when the bulkhead is
     *         full or the breaker refuses; then nothing was taken
     */
    public long tryReserve() {
        if (!bulkhead.tryEnter()) {
            return CircuitBreaker.NO_PERMIT;
        }
        long permit = breaker == null ? 0 : breaker.tryAcquire();
        if (permit == CircuitBreaker.NO_PERMIT) {
            bulkhead.leave();
        }
        return permit;
    }

    /** Gives back the place {@link #tryReserve} took. */
    public void requestFinished() {
        bulkhead.leave();
    }

    boolean isAtBulkheadBound() {
        return bulkhead.isFull();
    }

    int index() {
        return index;
    }

    /** {@code null} when its pool has no circuit breakers. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    public boolean isHealthy() {
        return healthy;
    }

    /** Taken out for now, by outlier detection or for refusing connections. */
    public boolean isEjected() {
        return outlierEjected || connectEjected;
    }

    boolean isOutlierEjected() {
        return outlierEjected;
    }

    boolean isConnectEjected() {
        return connectEjected;
    }

    /** Whether balancing may send it requests: healthy, not ejected, its breaker not open. */
    boolean isInBalancing() {
        return !connectEjected && isInBalancingWhenAllRefuse();
    }

    /**
     * Whether balancing may send it requests when every backend of its pool is out for refusing connections: as
     * {@link #isInBalancing}, but a connect-failure ejection does not count.
     */
    boolean isInBalancingWhenAllRefuse() {
        return healthy && !outlierEjected && (breaker == null || breaker.state() != CircuitBreaker.State.OPEN);
    }

    /** Only {@link UpstreamPool} changes health, so that it can rebuild its balancing snapshot. */
    void setHealthy(boolean healthy) {
        this.healthy = healthy;
    }

    /** Only {@link UpstreamPool} changes this, so that it can rebuild its balancing snapshot. */
    void setOutlierEjected(boolean ejected) {
        this.outlierEjected = ejected;
    }

    /** Only {@link UpstreamPool} changes this, so that it can rebuild its balancing snapshot. */
    void setConnectEjected(boolean ejected) {
        this.connectEjected = ejected;
    }

    @Override
    public String toString() {
        return address();
    }
}
