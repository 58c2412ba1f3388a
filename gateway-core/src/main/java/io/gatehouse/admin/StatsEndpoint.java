package io.gatehouse.admin;

import io.gatehouse.stats.RouteStats;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /admin/stats/routes[?after=N]}: every route's requests, 5xx answers and p99 latency per second over the
 * last 15 minutes ({@link RouteStats#toJson}); with {@code after}, only the samples newer than sequence number N, so
 * that a page polling every second fetches two numbers per route, not 2,700.
 */
final class StatsEndpoint implements AdminEndpoint {
    private final RouteStats stats;

    StatsEndpoint(RouteStats stats) {
        this.stats = stats;
    }

    @Override
    public CompletionStage<AdminResponse> handle(AdminRequest request) {
        return CompletableFuture.completedFuture(AdminResponse.ok(stats.toJson(after(request.queryValue("after")))));
    }

    private static Long after(String value) {
        if (value == null) {
            return null;
        }
        try {
            long after = Long.parseLong(value);
            if (after >= 0) {
                return after;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new AdminException(HttpResponseStatus.BAD_REQUEST, "invalid_query",
                "query parameter after must be a sample number (expected: an integer >= 0)");
    }
}
