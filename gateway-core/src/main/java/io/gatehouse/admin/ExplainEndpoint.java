package io.gatehouse.admin;

import io.gatehouse.explain.ExplainRequest;
import io.gatehouse.explain.RequestExplainer;
import io.gatehouse.proxy.GatewaySnapshot;
import io.gatehouse.server.GatewayServer;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /admin/explain?method=GET&path=/users/7&host=...&header=Name:value}: which route a request would take
 * and why, where it would be forwarded, and the steps it would pass ({@link RequestExplainer}), for the config in
 * force. The explainer is built once per compiled config, from that config and its router.
 */
final class ExplainEndpoint implements AdminEndpoint {
    private final GatewayServer gateway;
    private volatile Explainer explainer;

    private record Explainer(GatewaySnapshot snapshot, RequestExplainer explainer) {}

    ExplainEndpoint(GatewayServer gateway) {
        this.gateway = gateway;
    }

    @Override
    public CompletionStage<AdminResponse> handle(AdminRequest request) {
        ExplainRequest explained;
        try {
            explained = ExplainRequest.fromParameters(request.query());
        } catch (IllegalArgumentException e) {
            throw new AdminException(HttpResponseStatus.BAD_REQUEST, "invalid_query", e.getMessage());
        }
        return CompletableFuture.completedFuture(AdminResponse.ok(explainer().explain(explained).toJson()));
    }

    private RequestExplainer explainer() {
        GatewaySnapshot current = gateway.snapshot();
        Explainer seen = explainer;
        if (seen == null || seen.snapshot() != current) {
            seen = new Explainer(current, new RequestExplainer(current.config(), current.router()));
            explainer = seen;
        }
        return seen.explainer();
    }
}
