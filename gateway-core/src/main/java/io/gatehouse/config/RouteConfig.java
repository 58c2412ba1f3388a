package io.gatehouse.config;

/**
 * One entry of {@code routes:}.
 *
 * @param pool         the pool name; for a route written with {@code upstream:} this is the synthetic
 *                     {@link #directPoolName(String)} pool the loader created
 * @param stripPrefix  remove the matched {@code path_prefix} before forwarding
 * @param rewrite      replace the matched {@code path_prefix} with this; {@code null} when not set
 * @param priority     explicit priority, higher wins; {@code null} when not set
 * @param timeouts     the route's own timeouts; {@code null} fields inherit the pool's
 * @param security     the route's auth methods, roles, CORS, IP rules and rate limits
 * @param maxConcurrentRequests requests the route may have in flight at once (a bulkhead); {@code null} for no bound
 * @param retry        when and how a failed attempt is tried again
 * @param circuitBreaker the route's own breaker over its requests' final outcomes; {@code null} for none
 * @param requestBuffering a request body up to this many bytes is read whole before a backend connection is taken,
 *                     and kept so that a retry can replay it; a larger body streams. 0 streams every body
 * @param grpc         the route serves gRPC: every request on it is handled as a gRPC call (the gateway's errors
 *                     as gRPC statuses, {@code grpc-timeout}), as an {@code application/grpc} request is on any route,
 *                     and its {@code retry.grpc_status_codes} apply
 */
public record RouteConfig(String id, MatchConfig match, String pool, boolean stripPrefix, String rewrite,
                          boolean preserveHost, TimeoutsConfig timeouts, Integer priority, RouteSecurity security,
                          Integer maxConcurrentRequests, RetryConfig retry,
                          CircuitBreakerConfig circuitBreaker, long requestBuffering,
                          WebSocketConfig websocket, boolean grpc) {
    /** {@code request_buffering} when a route does not set it. */
    public static final long DEFAULT_REQUEST_BUFFERING = 64 * 1024;

    /** A route with no security, bulkhead, retry, breaker or buffering settings of its own. */
    public RouteConfig(String id, MatchConfig match, String pool, boolean stripPrefix, String rewrite,
                       boolean preserveHost, TimeoutsConfig timeouts, Integer priority) {
        this(id, match, pool, stripPrefix, rewrite, preserveHost, timeouts, priority, RouteSecurity.INHERIT, null,
                RetryConfig.DEFAULT, null, DEFAULT_REQUEST_BUFFERING, null, false);
    }

    /** The name of the pool of one that a route with a direct {@code upstream: URL} gets. */
    public static String directPoolName(String routeId) {
        return "route:" + routeId;
    }
}
