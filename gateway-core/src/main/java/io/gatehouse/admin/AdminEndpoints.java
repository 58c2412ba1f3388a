package io.gatehouse.admin;

import io.gatehouse.config.ConfigJson;
import io.gatehouse.reload.ConfigReloader;
import io.gatehouse.server.GatewayServer;
import io.gatehouse.stats.RouteStats;
import io.netty.handler.codec.http.HttpMethod;

import java.util.concurrent.CompletableFuture;

/** The admin API's endpoints: which path and method reaches which code (docs/admin.md lists them). */
final class AdminEndpoints {
    private AdminEndpoints() {}

    static AdminRoutes routes(GatewayServer gateway, ConfigReloader reloader, RouteStats stats) {
        ReloadGate gate = new ReloadGate();
        ReloadEndpoints reloads = new ReloadEndpoints(reloader, gate);
        ConfigEntryEndpoints routes = new ConfigEntryEndpoints(ConfigEntry.ROUTE, reloader, gate);
        ConfigEntryEndpoints pools = new ConfigEntryEndpoints(ConfigEntry.POOL, reloader, gate);
        UpstreamsEndpoint upstreams = new UpstreamsEndpoint(gateway);
        return AdminRoutes.builder()
                .add(HttpMethod.GET, "/admin/version", new VersionEndpoint(new ConfigVersion(gateway::current)))
                .add(HttpMethod.GET, "/admin/config", request -> CompletableFuture.completedFuture(
                        AdminResponse.ok(ConfigJson.render(gateway.snapshot().config()))))
                .add(HttpMethod.POST, "/admin/config/validate", reloads::validate)
                .add(HttpMethod.POST, "/admin/reload", reloads::reload)
                .add(HttpMethod.GET, "/admin/reloads", reloads::history)
                .add(HttpMethod.GET, "/admin/routes", routes::list)
                .add(HttpMethod.GET, "/admin/routes/{key}", routes::get)
                .add(HttpMethod.PUT, "/admin/routes/{key}", routes::put)
                .add(HttpMethod.DELETE, "/admin/routes/{key}", routes::delete)
                .add(HttpMethod.GET, "/admin/pools", pools::list)
                .add(HttpMethod.GET, "/admin/pools/{key}", pools::get)
                .add(HttpMethod.PUT, "/admin/pools/{key}", pools::put)
                .add(HttpMethod.DELETE, "/admin/pools/{key}", pools::delete)
                .add(HttpMethod.GET, "/admin/upstreams", upstreams::list)
                .add(HttpMethod.POST, "/admin/upstreams/{pool}/{backend}/drain", upstreams::drain)
                .add(HttpMethod.POST, "/admin/upstreams/{pool}/{backend}/undrain", upstreams::undrain)
                .add(HttpMethod.GET, "/admin/explain", new ExplainEndpoint(gateway))
                .add(HttpMethod.GET, "/admin/stats/routes", new StatsEndpoint(stats))
                .build();
    }
}
