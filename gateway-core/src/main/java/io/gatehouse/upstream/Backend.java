package io.gatehouse.upstream;

import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.BackendProtection;
import io.gatehouse.config.UpstreamProtocol;
import io.gatehouse.resilience.Bulkhead;
import io.gatehouse.resilience.CircuitBreaker;
import io.gatehouse.upstream.tls.UpstreamTls;
import io.netty.util.NetUtil;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * One backend server of a pool: its address, weight, live in-flight count (bounded by the pool's per-backend
 * bulkhead), active health, ejections (by outlier detection, and for refusing connections) and circuit breaker.
 * Shared by every event loop, so its mutable state is atomic, volatile or confined to the pool's health executor.
 *
 * <p>A backend is live state: a reload that keeps it (same pool, same settings) hands this very object to the new
 * {@link UpstreamPool}, which becomes its {@linkplain #owner() owner}, so its connections, health, breaker, ejections
 * and in-flight count carry over. A backend a reload removed is {@linkplain #retire() retired} once its in-flight
 * requests are done.
 */
public final class Backend {
    /** For a backend without breaker and ejections, which read no time. */
    private static final LongSupplier NO_CLOCK = () -> 0L;

    private final BackendConfig config;
    private final CircuitBreaker breaker;
    private final InetSocketAddress socketAddress;
    private final String hostHeader;
    private final Bulkhead bulkhead;
    /** Its pool's TLS context for an https backend, null for http. */
    private final UpstreamTls tls;
    /** Its pool's protocol: which kind of connection pool and health probe serve it. */
    private final UpstreamProtocol protocol;
    /** The pool whose balancing snapshot a change of this backend's state rebuilds: the newest one holding it. */
    private volatile UpstreamPool owner;
    private volatile boolean healthy;
    private volatile boolean outlierEjected;
    private volatile boolean connectEjected;
    private volatile boolean retired;
    /** Taken out of balancing by an operator (admin API); requests already sent to it finish. */
    private volatile boolean drained;
    /** Until its first probe, a backend added by a reload needs one healthy probe to enter balancing. */
    private boolean awaitingFirstProbe;
    // Streaks of active probe results; confined to the pool's health executor.
    private int probeSuccesses;
    private int probeFailures;
    /** Calls failed in a row, for outlier detection; any thread. */
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    /** {@code null} when its pool has no outlier detection, resp. no connect-failure ejection. */
    private final EjectionTimes outlierTimes;
    private final EjectionTimes connectTimes;

    /** A backend outside any pool, with no bulkhead and no breaker (balancer tests and benchmarks). */
    public Backend(BackendConfig config) {
        this(config, BackendProtection.NONE, NO_CLOCK, true, null, UpstreamProtocol.HTTP1);
    }

    /**
     * @param protection its pool's bulkhead, breaker, outlier detection and connect-failure ejection (which its pool
     *                   applies only while it has more than one backend)
     * @param nanoClock  what its breaker and ejections read time from
     * @param healthy    false for a backend that must pass a probe before it takes requests
     * @param tls        its pool's TLS context when {@code config} is https, else null
     * @param protocol   its pool's {@code protocol}
     */
    Backend(BackendConfig config, BackendProtection protection, LongSupplier nanoClock, boolean healthy,
            UpstreamTls tls, UpstreamProtocol protocol) {
        this.config = config;
        this.tls = tls;
        this.protocol = protocol;
        this.bulkhead = new Bulkhead(protection.maxConcurrentRequests() == null
                ? Integer.MAX_VALUE : protection.maxConcurrentRequests());
        this.breaker = protection.circuitBreaker() == null ? null
                : new CircuitBreaker(protection.circuitBreaker(), nanoClock,
                        (b, from, to) -> owner.breakerTransitioned(this, from, to));
        this.outlierTimes = protection.outlierDetection() == null ? null : new EjectionTimes(
                protection.outlierDetection().baseEjectionTime(), protection.outlierDetection().maxEjectionTime());
        this.connectTimes = protection.connectFailureEjection() == null ? null : new EjectionTimes(
                protection.connectFailureEjection().baseEjectionTime(),
                protection.connectFailureEjection().maxEjectionTime());
        this.healthy = healthy;
        this.awaitingFirstProbe = !healthy;
        // An IP literal is parsed without a lookup; a name stays unresolved for the asynchronous DNS resolver.
        this.socketAddress = NetUtil.isValidIpV4Address(config.host()) || NetUtil.isValidIpV6Address(config.host())
                ? new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(config.host()), config.port())
                : InetSocketAddress.createUnresolved(config.host(), config.port());
        this.hostHeader = config.port() == config.defaultPort() ? config.uriHost() : config.address();
    }

    /** How connections to this backend do TLS: its pool's context; null for a plain http backend. */
    public UpstreamTls tls() {
        return tls;
    }

    /** HTTP/1.1, h2 or h2c: how connections to this backend (and its health probes) speak. */
    public UpstreamProtocol protocol() {
        return protocol;
    }

    /** The {@code Host} header a request to this backend carries unless its route preserves the client's. */
    public String hostHeader() {
        return hostHeader;
    }

    /** Its entry in the pool's configuration. */
    public BackendConfig config() {
        return config;
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
     *         full, the backend is retired or the breaker refuses; then nothing was taken
     */
    public long tryReserve() {
        if (!bulkhead.tryEnter()) {
            return CircuitBreaker.NO_PERMIT;
        }
        // Checked after entering: with retire() setting the flag before reading inFlight, one of the two sees the other.
        if (retired) {
            bulkhead.leave();
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

    /** The pool that rebuilds its balancing when this backend's state changes. */
    UpstreamPool owner() {
        return owner;
    }

    /** Makes {@code pool} the one whose balancing follows this backend; called when a pool goes live. */
    void adopt(UpstreamPool pool) {
        owner = pool;
    }

    /**
     * Takes no more requests from any pool, snapshot or retry, for a backend a reload removed.
     *
     * @return whether no request holds it any more, so that its connections may close; if not, call again later
     */
    public boolean retire() {
        retired = true;
        return bulkhead.inFlight() == 0;
    }

    public boolean isRetired() {
        return retired;
    }

    AtomicInteger consecutiveFailures() {
        return consecutiveFailures;
    }

    EjectionTimes outlierTimes() {
        return outlierTimes;
    }

    EjectionTimes connectTimes() {
        return connectTimes;
    }

    /**
     * Counts one active probe result; confined to the health executor.
     *
     * @return the streak of results like this one so far; a backend awaiting its first probe counts a success as
     *         {@code Integer.MAX_VALUE}, so that any healthy threshold is met
     */
    int countProbe(boolean success) {
        boolean first = awaitingFirstProbe;
        awaitingFirstProbe = false;
        if (success) {
            probeFailures = 0;
            probeSuccesses++;
            return first ? Integer.MAX_VALUE : probeSuccesses;
        }
        probeSuccesses = 0;
        return ++probeFailures;
    }

    /** Forgets the streak of successful probes (a failed connect took the backend down). */
    void resetProbeSuccesses() {
        probeSuccesses = 0;
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

    /** Taken out of balancing by an operator until undrained; a reload that keeps the backend keeps this. */
    public boolean isDrained() {
        return drained;
    }

    /** Whether balancing may send it requests: healthy, not drained, not ejected, its breaker not open. */
    boolean isInBalancing() {
        return !connectEjected && isInBalancingWhenAllRefuse();
    }

    /**
     * Whether balancing may send it requests when every backend of its pool is out for refusing connections: as
     * {@link #isInBalancing}, but a connect-failure ejection does not count.
     */
    boolean isInBalancingWhenAllRefuse() {
        return healthy && !retired && !drained && !outlierEjected
                && (breaker == null || breaker.state() != CircuitBreaker.State.OPEN);
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

    /** Only {@link UpstreamPool} changes this, so that it can rebuild its balancing snapshot. */
    void setDrained(boolean drained) {
        this.drained = drained;
    }

    @Override
    public String toString() {
        return address();
    }
}
