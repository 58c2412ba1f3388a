package io.gatehouse.proxy;

import static java.util.Objects.requireNonNull;

import io.gatehouse.route.Route;
import io.gatehouse.security.RoutePolicy;

/**
 * Everything a request on one route needs, resolved once per configuration and handed back by
 * {@link io.gatehouse.route.Router#match}: the route, its security chain and where it leads (pool, meters, timeouts,
 * retries, breaker). A request never looks anything up by route id.
 */
public record RouteHandle(Route route, RoutePolicy policy, RouteTarget target) {
    public RouteHandle {
        requireNonNull(route, "route");
        requireNonNull(policy, "policy");
        requireNonNull(target, "target");
    }

    public String id() {
        return route.id();
    }
}
