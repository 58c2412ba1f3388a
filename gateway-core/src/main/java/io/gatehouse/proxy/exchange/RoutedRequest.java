package io.gatehouse.proxy.exchange;

import io.gatehouse.proxy.RouteHandle;
import io.gatehouse.route.RouteResult;

/**
 * Where routing sent a request to be proxied: the route it matched, the normalised path, the raw query, the host the
 * client asked for (absolute-form authority or Host header, or {@code null}) and whether it is a WebSocket upgrade
 * on a route that allows one. What the exchange needs of the routing decision, and no more.
 */
public record RoutedRequest(RouteResult.Matched<RouteHandle> matched, String path, String rawQuery, String host,
                            boolean upgrade) {
    public RouteHandle route() {
        return matched.handle();
    }
}
