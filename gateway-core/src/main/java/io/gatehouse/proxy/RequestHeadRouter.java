package io.gatehouse.proxy;

import io.gatehouse.context.Rejection;
import io.gatehouse.route.InvalidPathException;
import io.gatehouse.route.PathNormalizer;
import io.gatehouse.route.RouteResult;
import io.gatehouse.security.CorsPolicy;
import io.gatehouse.security.RoutePolicy;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetAddress;

/**
 * Decides what becomes of a request head: refused, answered by a built-in endpoint, answered as a CORS preflight,
 * or handed to a route's security chain and proxied. Validation comes first, then the built-ins (which bypass
 * routing), then path normalisation and routing on the normalised path, so every check after it, auth included,
 * sees the one path the backend will get. It only decides; {@link ClientConnectionHandler} acts.
 */
final class RequestHeadRouter {
    sealed interface Decision {}

    record Refuse(Rejection rejection) implements Decision {}

    record BuiltIn(String rawPath) implements Decision {}

    /** A CORS preflight for a route with CORS on: the gateway answers it, before any auth. */
    record Preflight(RoutePolicy policy) implements Decision {}

    /**
     * @param host   the Host the client asked for (absolute-form authority or Host header), or {@code null}
     * @param policy the route's security chain
     */
    record Proxy(RouteResult.Matched matched, String path, String rawQuery, String host, RoutePolicy policy)
            implements Decision {}

    private final GatewayRuntime runtime;
    private final RequestHeadValidator validator;

    RequestHeadRouter(GatewayRuntime runtime) {
        this.runtime = runtime;
        this.validator = new RequestHeadValidator(runtime.server().limits().maxBodyBytes());
    }

    /** @param client the real client address, for the global IP rules that guard the built-ins */
    Decision decide(HttpRequest head, InetAddress client) {
        Rejection rejection = validator.validate(head);
        if (rejection != null) {
            return refuse(rejection);
        }
        RequestTarget target = RequestTarget.parse(head.uri());
        if (target == null) {
            return refuse(Rejection.closing(HttpResponseStatus.BAD_REQUEST, "bad_request",
                    "unsupported request target"));
        }
        if (BuiltInEndpoints.handles(target.rawPath())) {
            Rejection denied = runtime.security().refuseBuiltIn(client);
            return denied != null ? refuse(denied) : new BuiltIn(target.rawPath());
        }
        String path;
        try {
            path = PathNormalizer.normalize(target.rawPath());
        } catch (InvalidPathException e) {
            return refuse(Rejection.of(HttpResponseStatus.BAD_REQUEST, "invalid_path", e.getMessage()));
        }
        String host = target.host() != null ? target.host() : head.headers().get(HttpHeaderNames.HOST);
        String routingHost = RequestTarget.hostWithoutPort(host);
        if (CorsPolicy.isPreflight(head)) {
            // Routed by the method the browser asks about, as that is the route whose CORS rules apply.
            RouteResult asked = runtime.router().match(CorsPolicy.requestedMethod(head), routingHost, path,
                    target.rawQuery(), head.headers());
            if (asked instanceof RouteResult.Matched matched) {
                RoutePolicy policy = runtime.security().policy(matched.route().id());
                if (policy.cors() != null) {
                    return new Preflight(policy);
                }
            }
        }
        RouteResult result = runtime.router().match(head.method().name(), routingHost, path, target.rawQuery(),
                head.headers());
        if (result instanceof RouteResult.Matched matched) {
            return new Proxy(matched, path, target.rawQuery(), host,
                    runtime.security().policy(matched.route().id()));
        }
        if (result instanceof RouteResult.MethodNotAllowed notAllowed) {
            return refuse(Rejection.of(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    head.method() + " is not allowed on " + path)
                    .withHeader(HttpHeaderNames.ALLOW, notAllowed.allowHeader()));
        }
        return refuse(Rejection.of(HttpResponseStatus.NOT_FOUND, "route_not_found", "no route for " + path));
    }

    private static Refuse refuse(Rejection rejection) {
        return new Refuse(rejection);
    }
}
