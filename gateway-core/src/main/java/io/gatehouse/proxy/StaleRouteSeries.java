package io.gatehouse.proxy;

import io.gatehouse.config.RetryConfig;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.metrics.StaleSeries;

import java.util.HashSet;
import java.util.Set;

/**
 * Once a snapshot is published, removes the series of what it no longer has: every series of a removed route or
 * pool (whose route meters and upstream timer are retired first, so that a request of it still in flight brings
 * none back), of a removed backend, rate-limit policy or consumer ({@link StaleSeries}), and those a kept route
 * dropped: the retries of reasons no longer in its {@code retry.on}, its own bulkhead's rejections once it has
 * none. (A dropped route breaker is {@link RouteBreakers}' part.)
 */
final class StaleRouteSeries {
    private StaleRouteSeries() {}

    static void forget(GatewaySnapshot previous, GatewaySnapshot next, GatewayMetrics metrics) {
        Set<String> removedRoutes = new HashSet<>();
        previous.routes().forEach((id, handle) -> {
            RouteHandle kept = next.routes().get(id);
            if (!next.pools().containsKey(handle.target().pool().name())) {
                handle.target().upstreamTimer().retire();
            }
            if (kept == null) {
                handle.target().meters().retire();
                removedRoutes.add(id);
            } else if (kept.route().config() != handle.route().config()) {
                forgetDropped(id, handle.route().config(), kept.route().config(), metrics);
            }
        });
        metrics.forget(StaleSeries.between(previous.config(), next.config(), removedRoutes));
    }

    private static void forgetDropped(String id, RouteConfig before, RouteConfig after, GatewayMetrics metrics) {
        Set<String> reasons = new HashSet<>();
        for (RetryConfig.Condition condition : before.retry().on()) {
            if (!after.retry().on().contains(condition)) {
                reasons.add(condition.yamlName());
            }
        }
        boolean bulkhead = before.maxConcurrentRequests() != null && after.maxConcurrentRequests() == null;
        if (!reasons.isEmpty() || bulkhead) {
            metrics.forgetRouteSeries(id, reasons, bulkhead);
        }
    }
}
