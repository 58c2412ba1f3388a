package io.gatehouse.admin;

import io.gatehouse.config.ConfigJson;
import io.gatehouse.server.GatewayServer;
import io.netty.handler.codec.http.HttpMethod;

import java.util.concurrent.CompletableFuture;

/** The admin API's endpoints: which path and method reaches which code (docs/admin.md lists them). */
final class AdminEndpoints {
    private AdminEndpoints() {}

    static AdminRoutes routes(GatewayServer gateway) {
        return AdminRoutes.builder()
                .add(HttpMethod.GET, "/admin/version", new VersionEndpoint())
                .add(HttpMethod.GET, "/admin/config", request -> CompletableFuture.completedFuture(
                        AdminResponse.ok(ConfigJson.render(gateway.current()))))
                .add(HttpMethod.GET, "/admin/upstreams", new UpstreamsEndpoint(gateway.runtime()))
                .build();
    }
}
