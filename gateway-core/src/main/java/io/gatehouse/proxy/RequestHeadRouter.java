package io.gatehouse.proxy;

import io.gatehouse.route.InvalidPathException;
import io.gatehouse.route.PathNormalizer;
import io.gatehouse.route.RouteResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Decides what becomes of a request head: refused, answered by a built-in endpoint, or proxied along a route.
 * Validation comes first, then the built-ins (which bypass routing), then path normalisation and routing on the
 * normalised path. It only decides; {@link ClientConnectionHandler} acts.
 */
final class RequestHeadRouter {
    sealed interface Decision {}

    /** @param allow the {@code Allow} header of a 405, else {@code null} */
    record Refuse(Rejection rejection, String allow) implements Decision {}

    record BuiltIn(String rawPath) implements Decision {}

    /** @param host the Host the client asked for (absolute-form authority or Host header), or {@code null} */
    record Proxy(RouteResult.Matched matched, String path, String rawQuery, String host) implements Decision {}

    private final GatewayRuntime runtime;
    private final RequestHeadValidator validator;

    RequestHeadRouter(GatewayRuntime runtime) {
        this.runtime = runtime;
        this.validator = new RequestHeadValidator(runtime.server().limits().maxBodyBytes());
    }

    Decision decide(HttpRequest head) {
        Rejection rejection = validator.validate(head);
        if (rejection != null) {
            return new Refuse(rejection, null);
        }
        RequestTarget target = RequestTarget.parse(head.uri());
        if (target == null) {
            return refuse(Rejection.closing(HttpResponseStatus.BAD_REQUEST, "bad_request",
                    "unsupported request target"));
        }
        if (BuiltInEndpoints.handles(target.rawPath())) {
            return new BuiltIn(target.rawPath());
        }
        String path;
        try {
            path = PathNormalizer.normalize(target.rawPath());
        } catch (InvalidPathException e) {
            return refuse(Rejection.of(HttpResponseStatus.BAD_REQUEST, "invalid_path", e.getMessage()));
        }
        String host = target.host() != null ? target.host() : head.headers().get(HttpHeaderNames.HOST);
        RouteResult result = runtime.router().match(head.method().name(), RequestTarget.hostWithoutPort(host),
                path, target.rawQuery(), head.headers());
        if (result instanceof RouteResult.Matched matched) {
            return new Proxy(matched, path, target.rawQuery(), host);
        }
        if (result instanceof RouteResult.MethodNotAllowed notAllowed) {
            return new Refuse(Rejection.of(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    head.method() + " is not allowed on " + path), notAllowed.allowHeader());
        }
        return refuse(Rejection.of(HttpResponseStatus.NOT_FOUND, "route_not_found", "no route for " + path));
    }

    private static Refuse refuse(Rejection rejection) {
        return new Refuse(rejection, null);
    }
}
