package io.gatehouse.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pool.ConnectionCounts;
import io.gatehouse.server.GatewayServer;
import io.gatehouse.upstream.Backend;
import io.gatehouse.upstream.UpstreamPool;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /admin/upstreams}: every pool in force and each backend's live state: health, drain, ejection,
 * circuit breaker, requests in flight and upstream connections (active and idle, over all event loops). And
 * {@code POST /admin/upstreams/{pool}/{backend}/drain} and {@code /undrain}: a backend taken out of balancing (or put
 * back) without failing the requests it is serving.
 */
final class UpstreamsEndpoint {
    private final GatewayServer gateway;

    UpstreamsEndpoint(GatewayServer gateway) {
        this.gateway = gateway;
    }

    CompletionStage<AdminResponse> list(AdminRequest request) {
        ObjectNode pools = JsonNodeFactory.instance.objectNode();
        for (UpstreamPool pool : gateway.snapshot().pools().values()) {
            ArrayNode backends = pools.putObject(pool.name())
                    .put("strategy", pool.config().strategy().yamlName())
                    .putArray("backends");
            pool.backends().forEach(backend -> backends.add(backend(backend)));
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("pools", pools);
        return CompletableFuture.completedFuture(AdminResponse.ok(body));
    }

    CompletionStage<AdminResponse> drain(AdminRequest request) {
        return setDrained(request, true);
    }

    CompletionStage<AdminResponse> undrain(AdminRequest request) {
        return setDrained(request, false);
    }

    /** Answers with the backend's state once balancing follows the change. */
    private CompletionStage<AdminResponse> setDrained(AdminRequest request, boolean drained) {
        String poolName = request.param("pool");
        String address = request.param("backend");
        UpstreamPool pool = gateway.snapshot().pools().get(poolName);
        if (pool == null) {
            throw new AdminException(HttpResponseStatus.NOT_FOUND, "not_found",
                    "no pool is named " + poolName + " in the running config");
        }
        Backend backend = pool.backends().stream().filter(b -> b.address().equals(address)).findFirst()
                .orElseThrow(() -> new AdminException(HttpResponseStatus.NOT_FOUND, "not_found",
                        "pool " + poolName + " has no backend " + address + " (expected host:port as"
                                + " GET /admin/upstreams shows it)"));
        return pool.setDrained(backend, drained).thenApply(done -> AdminResponse.ok(backend(backend)));
    }

    private ObjectNode backend(Backend backend) {
        ConnectionCounts counts = gateway.runtime().connectionPools().peekCounts(backend);
        ObjectNode node = JsonNodeFactory.instance.objectNode()
                .put("address", backend.address())
                .put("weight", backend.weight())
                .put("healthy", backend.isHealthy())
                .put("drained", backend.isDrained())
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
