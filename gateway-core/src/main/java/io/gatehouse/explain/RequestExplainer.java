package io.gatehouse.explain;

import io.gatehouse.config.GatewayConfig;
import io.gatehouse.config.PoolConfig;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.explain.Explanation.Cors;
import io.gatehouse.explain.Explanation.Forwarding;
import io.gatehouse.explain.Explanation.Outcome;
import io.gatehouse.proxy.downstream.BuiltInEndpoints;
import io.gatehouse.proxy.downstream.RequestTarget;
import io.gatehouse.route.InvalidPathException;
import io.gatehouse.route.PathNormalizer;
import io.gatehouse.route.RouteExplainer;
import io.gatehouse.route.Router;
import io.gatehouse.route.RoutingExplanation;
import io.gatehouse.security.CorsPolicy;
import io.gatehouse.security.QueryParams;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Answers "why did my request go there" for one configuration: the decisions {@code RequestHeadRouter} makes, in
 * its order (built-in endpoints, path normalisation, CORS preflight, routing), then where the request is forwarded
 * and the security steps it must pass. The route is the one the live {@link Router} picks. For the admin API: costs
 * time linear in the number of routes. Immutable; build one per configuration and share it.
 */
public final class RequestExplainer {
    private static final List<String> BUILT_IN_METHODS = List.of("GET", "HEAD");

    private final GatewayConfig config;
    private final RouteExplainer routes;
    private final Map<String, RouteConfig> routesById = new HashMap<>();

    /** @param router the router compiled from {@code config}'s routes, the one serving requests */
    public RequestExplainer(GatewayConfig config, Router<?> router) {
        this.config = requireNonNull(config, "config");
        this.routes = new RouteExplainer(config.routes(), router);
        config.routes().forEach(route -> routesById.put(route.id(), route));
    }

    public Explanation explain(ExplainRequest request) {
        if (BuiltInEndpoints.handles(request.path())) {
            return builtIn(request);
        }
        String path;
        try {
            path = PathNormalizer.normalize(request.path());
        } catch (InvalidPathException e) {
            return new Explanation(request, Outcome.INVALID_PATH, 400, "refused before routing (invalid_path): "
                    + e.getMessage(), null, null, null, List.of(), null);
        }
        String host = RequestTarget.hostWithoutPort(request.host() != null ? request.host()
                : request.headers().get(HttpHeaderNames.HOST));
        HttpHeaders headers = request.headers();
        String preflightMethod = preflightMethod(request);
        if (preflightMethod != null) {
            RoutingExplanation asked = routes.explain(preflightMethod, host, path, request.query(), headers);
            Cors cors = asked.outcome() == RoutingExplanation.Outcome.MATCHED ? cors(route(asked)) : null;
            if (cors != null) {
                return preflight(request, path, asked, cors);
            }
        }
        RoutingExplanation routing = routes.explain(request.method(), host, path, request.query(), headers);
        return switch (routing.outcome()) {
            case MATCHED -> proxied(request, path, routing);
            case METHOD_NOT_ALLOWED -> new Explanation(request, Outcome.METHOD_NOT_ALLOWED, 405,
                    request.method() + " is not allowed on " + path + "; the routes matching it allow "
                            + routing.allow(), path, routing, null, List.of(), null);
            case NOT_FOUND -> new Explanation(request, Outcome.NOT_FOUND, 404, "no route matches " + path, path,
                    routing, null, List.of(), null);
        };
    }

    private Explanation proxied(ExplainRequest request, String path, RoutingExplanation routing) {
        RouteConfig route = route(routing);
        PoolConfig pool = config.pools().get(route.pool());
        String keyParam = config.auth().apiKeys() == null ? null : config.auth().apiKeys().queryParam();
        String query = keyParam == null ? request.query() : QueryParams.without(request.query(), keyParam);
        Forwarding forwarding = new Forwarding(routing.upstreamPath(), query, route.preserveHost(), pool,
                route.timeouts().orElse(pool.timeouts()), route.retry());
        List<PolicyStep> steps = PolicySteps.of(route, config, request);
        PolicyStep refusing = firstRefusing(steps);
        if (refusing != null) {
            return new Explanation(request, Outcome.REFUSED, refusing.verdict().status(), "route " + route.id()
                    + " refuses it at step " + refusing.step() + ": " + refusing.verdict().detail(), path, routing,
                    forwarding, steps, cors(route));
        }
        return new Explanation(request, Outcome.PROXY, null, "proxied to pool " + route.pool() + " by route "
                + route.id() + " once the steps admit it", path, routing, forwarding, steps, cors(route));
    }

    /** A preflight is answered after the IP rules, before any other step. */
    private Explanation preflight(ExplainRequest request, String path, RoutingExplanation asked, Cors cors) {
        List<PolicyStep> steps = PolicySteps.of(route(asked), config, request).stream()
                .filter(step -> step.step().equals("ip_rules")).toList();
        String about = "CORS preflight for " + preflightMethod(request) + ": ";
        PolicyStep refusing = firstRefusing(steps);
        if (refusing != null) {
            return new Explanation(request, Outcome.CORS_PREFLIGHT, 403, about + refusing.verdict().detail(), path,
                    asked, null, steps, cors);
        }
        String refusal = new CorsPolicy(cors.config()).preflight(request.headers(), new DefaultHttpHeaders());
        String detail = refusal == null ? about + "allowed, answered 204 by the gateway"
                : about + "refused (" + refusal + "), answered 403";
        return new Explanation(request, Outcome.CORS_PREFLIGHT, refusal == null ? 204 : 403, detail, path, asked,
                null, steps, cors);
    }

    /** The first step whose verdict refuses the request; steps that cannot be judged are passed over. */
    private static PolicyStep firstRefusing(List<PolicyStep> steps) {
        return steps.stream().filter(step -> step.verdict() != null && !step.verdict().passes()).findFirst()
                .orElse(null);
    }

    private Explanation builtIn(ExplainRequest request) {
        boolean allowed = BUILT_IN_METHODS.contains(request.method());
        List<PolicyStep> steps = PolicySteps.ipRules("global", config.ipRules(), request).stream().toList();
        PolicyStep refusing = firstRefusing(steps);
        if (refusing != null) {
            return new Explanation(request, Outcome.BUILT_IN, 403, request.path() + " is answered by the gateway, "
                    + "but the global ip_rules refuse it: " + refusing.verdict().detail(), null, null, null, steps,
                    null);
        }
        String detail = request.path() + " is answered by the gateway before routing and authentication; only the "
                + "global ip_rules apply" + (allowed ? "" : "; it allows GET, HEAD");
        return new Explanation(request, Outcome.BUILT_IN, allowed ? 200 : 405, detail, null, null, null, steps,
                null);
    }

    /** The method a CORS preflight asks about, or null when the request is not one. */
    private static String preflightMethod(ExplainRequest request) {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(request.method()),
                request.path(), request.headers());
        return CorsPolicy.isPreflight(head) ? CorsPolicy.requestedMethod(head) : null;
    }

    private Cors cors(RouteConfig route) {
        if (route.security().cors() != null) {
            return new Cors("route", route.security().cors());
        }
        return config.cors() == null ? null : new Cors("global", config.cors());
    }

    private RouteConfig route(RoutingExplanation routing) {
        return routesById.get(routing.route().id());
    }
}
