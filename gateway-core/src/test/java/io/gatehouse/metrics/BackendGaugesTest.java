package io.gatehouse.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.config.MetricsConfig;
import io.gatehouse.config.PoolConfig;
import io.gatehouse.pool.ConnectionPools;
import io.gatehouse.upstream.UpstreamPool;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/**
 * {@code gatehouse_backend_healthy} and {@code gatehouse_pool_connections}: one series per backend of the pools
 * shown last, as the registered gauges exposed them, and none of a pool no longer shown.
 */
class BackendGaugesTest {
    private static final GatewayConfig CONFIG = ConfigLoader.parse("""
            pools:
              users:
                backends: [{url: "http://127.0.0.1:9001"}, {url: "http://127.0.0.1:9002"}]
              checked:
                backends: [{url: "http://127.0.0.1:9003"}]
                health_check: {}
            routes:
              - {id: users, match: {path_prefix: /users}, pool: users}
              - {id: checked, match: {path_prefix: /checked}, pool: checked}
            """, Map.of());

    private final ConnectionPools connections = new ConnectionPools(NioSocketChannel.class,
            DefaultAddressResolverGroup.INSTANCE, 1, new WriteBufferWaterMark(32 * 1024, 64 * 1024));

    @Test
    void everyBackendOfTheShownPoolsHasItsHealthAndConnectionSeries() {
        GatewayMetrics metrics = new GatewayMetrics();
        metrics.backends().show(List.of(pool(metrics, "users"), addedPool(metrics, "checked")),
                connections::peekCounts);

        assertThat(metrics.scrape()).contains("""
                # HELP gatehouse_backend_healthy 1 when the backend passes its health checks, 0 when they took it out
                # TYPE gatehouse_backend_healthy gauge
                gatehouse_backend_healthy{backend="127.0.0.1:9001",pool="users"} 1.0
                gatehouse_backend_healthy{backend="127.0.0.1:9002",pool="users"} 1.0
                gatehouse_backend_healthy{backend="127.0.0.1:9003",pool="checked"} 0.0
                """).contains("""
                # HELP gatehouse_pool_connections Upstream connections to the backend, in use (active) or pooled (idle)
                # TYPE gatehouse_pool_connections gauge
                gatehouse_pool_connections{backend="127.0.0.1:9001",pool="users",state="active"} 0.0
                gatehouse_pool_connections{backend="127.0.0.1:9001",pool="users",state="idle"} 0.0
                gatehouse_pool_connections{backend="127.0.0.1:9002",pool="users",state="active"} 0.0
                """);
    }

    @Test
    void aPoolNoLongerShownHasNoSeries() {
        GatewayMetrics metrics = new GatewayMetrics();
        metrics.backends().show(List.of(pool(metrics, "users"), pool(metrics, "checked")), connections::peekCounts);
        metrics.backends().show(List.of(pool(metrics, "checked")), connections::peekCounts);

        assertThat(metrics.scrape()).contains("gatehouse_backend_healthy{backend=\"127.0.0.1:9003\",pool=\"checked\"}")
                .doesNotContain("gatehouse_backend_healthy{backend=\"127.0.0.1:9001\"")
                .doesNotContain("gatehouse_pool_connections{backend=\"127.0.0.1:9001\"");
        metrics.backends().show(List.of(), connections::peekCounts);
        assertThat(metrics.scrape()).as("no family without a backend, as with no gauge registered")
                .doesNotContain("gatehouse_backend_healthy").doesNotContain("gatehouse_pool_connections");
    }

    @Test
    void nothingIsExposedWithMetricsDisabled() {
        GatewayMetrics metrics = GatewayMetrics.of(new MetricsConfig(false));
        metrics.backends().show(List.of(pool(metrics, "users")), connections::peekCounts);

        assertThat(metrics.scrape()).doesNotContain("gatehouse_backend_healthy");
        metrics.close();
    }

    private static UpstreamPool pool(GatewayMetrics metrics, String name) {
        PoolConfig config = CONFIG.pools().get(name);
        return new UpstreamPool(config, ImmediateEventExecutor.INSTANCE, metrics.backends().events(config),
                System::nanoTime);
    }

    /** As a reload adds it: with health checks, out of balancing until its first healthy probe. */
    private static UpstreamPool addedPool(GatewayMetrics metrics, String name) {
        PoolConfig config = CONFIG.pools().get(name);
        return UpstreamPool.added(config, ImmediateEventExecutor.INSTANCE, metrics.backends().events(config),
                System::nanoTime);
    }
}
