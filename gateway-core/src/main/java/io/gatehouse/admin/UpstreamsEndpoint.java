package io.gatehouse.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pool.ConnectionCounts;
import io.gatehouse.pool.ConnectionPools;
import io.gatehouse.server.GatewayServer;
import io.gatehouse.upstream.Backend;
import io.gatehouse.upstream.UpstreamPool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /admin/upstreams}: every pool in force and each backend's live state: health, ejection, circuit
 * breaker, requests in flight and upstream connections (active and idle, over all event loops).
 */
final class UpstreamsEndpoint implements AdminEndpoint {
    private final GatewayServer gateway;

    UpstreamsEndpoint(GatewayServer gateway) {
        this.gateway = gateway;
    }

    @Override
    public CompletionStage<AdminResponse> handle(AdminRequest request) {
        ObjectNode pools = JsonNodeFactory.instance.objectNode();
        ConnectionPools connections = gateway.runtime().connectionPools();
        for (UpstreamPool pool : gateway.snapshot().pools().values()) {
            ArrayNode backends = pools.putObject(pool.name())
                    .put("strategy", pool.config().strategy().yamlName())
                    .putArray("backends");
            for (Backend backend : pool.backends()) {
                backends.add(backend(backend, connections.countsOf(backend)));
            }
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("pools", pools);
        return CompletableFuture.completedFuture(AdminResponse.ok(body));
    }

    private static ObjectNode backend(Backend backend, ConnectionCounts counts) {
        ObjectNode node = JsonNodeFactory.instance.objectNode()
                .put("address", backend.address())
                .put("weight", backend.weight())
                .put("healthy", backend.isHealthy())
                .put("ejected", backend.isEjected());
        if (backend.breaker() == null) {
            node.putNull("circuit_breaker");
        } else {
            node.put("circuit_breaker", backend.breaker().state().label());
        }
        node.put("in_flight", backend.inFlight());
        node.putObject("connections").put("active", counts.active()).put("idle", counts.idle());
        return node;
    }
}
