package io.gatehouse.explain;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.CorsConfig;
import io.gatehouse.config.PoolConfig;
import io.gatehouse.config.RetryConfig;
import io.gatehouse.config.TimeoutsConfig;
import io.gatehouse.route.RoutingExplanation;

import java.util.List;

/**
 * Why a request would go where it goes: what the gateway decides for it, the route and the reasons, where it is
 * forwarded and the checks it must pass first. Immutable; {@link #toJson} is what the admin API serves.
 *
 * @param outcome        what the gateway does with the request
 * @param status         the status the gateway answers itself, or {@code null} when the request is proxied (if its
 *                       policy steps admit it, the backend answers)
 * @param detail         one sentence for people, e.g. why the path is refused
 * @param normalizedPath the path routing sees; {@code null} for a built-in endpoint or a refused path
 * @param routing        the routing decision and its reasons; {@code null} when routing did not run
 * @param forwarding     where a routed request goes; {@code null} unless {@link Outcome#PROXY} or
 *                       {@link Outcome#REFUSED}
 * @param steps          the security checks, in the order they run (for a preflight, only those that apply to it)
 * @param cors           the route's CORS settings, or {@code null} when CORS is off for it or no route matched
 */
public record Explanation(ExplainRequest request, Outcome outcome, Integer status, String detail,
                          String normalizedPath, RoutingExplanation routing, Forwarding forwarding,
                          List<PolicyStep> steps, Cors cors) {
    public Explanation {
        requireNonNull(request, "request");
        requireNonNull(outcome, "outcome");
        requireNonNull(detail, "detail");
        steps = List.copyOf(steps);
    }

    /** The admin API's answer to {@code GET /admin/explain}. */
    public ObjectNode toJson() {
        return ExplanationJson.render(this);
    }

    public enum Outcome {
        /** {@code /healthz}, {@code /readyz} or {@code /metrics}: answered before routing and authentication. */
        BUILT_IN,
        /** The path is refused before routing: 400 {@code invalid_path}. */
        INVALID_PATH,
        /** A CORS preflight for a route with CORS on: answered by the gateway, never proxied. */
        CORS_PREFLIGHT,
        /** Routed; proxied once its policy steps admit it. */
        PROXY,
        /** Routed, but a policy step refuses it for what the request itself carries (client address, credential). */
        REFUSED,
        /** Some route matches all but the method: 405. */
        METHOD_NOT_ALLOWED,
        /** No route matches: 404. */
        NOT_FOUND
    }

    /**
     * @param path     the path sent upstream, after {@code strip_prefix} or {@code rewrite}
     * @param query    the query sent upstream (an API key parameter removed), or {@code null}
     * @param timeouts the route's timeouts over its pool's
     */
    public record Forwarding(String path, String query, boolean preserveHost, PoolConfig pool,
                             TimeoutsConfig timeouts, RetryConfig retry) {
        public Forwarding {
            requireNonNull(path, "path");
            requireNonNull(pool, "pool");
            requireNonNull(timeouts, "timeouts");
            requireNonNull(retry, "retry");
        }
    }

    /** @param source {@code route} when the route replaces the global {@code cors:}, else {@code global} */
    public record Cors(String source, CorsConfig config) {
        public Cors {
            requireNonNull(source, "source");
            requireNonNull(config, "config");
        }
    }
}
