package io.gatehouse.proxy.downstream;

import io.gatehouse.context.Rejection;
import io.gatehouse.context.RequestContext;
import io.gatehouse.proxy.GatewayRuntime;
import io.gatehouse.proxy.GatewaySnapshot;
import io.gatehouse.proxy.RouteHandle;
import io.gatehouse.proxy.exchange.RoutedRequest;
import io.gatehouse.proxy.exchange.WebSocketUpgrade;
import io.gatehouse.route.InvalidPathException;
import io.gatehouse.route.PathNormalizer;
import io.gatehouse.route.RouteResult;
import io.gatehouse.route.Router;
import io.gatehouse.security.CorsPolicy;
import io.gatehouse.security.RoutePolicy;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;

/**
 * Decides what becomes of a request head: refused, answered by a built-in endpoint, answered as a CORS preflight,
 * or handed to a route's security chain and proxied. Validation comes first, then the built-ins (which bypass
 * routing), then path normalisation and routing on the normalised path, so every check after it, auth included,
 * sees the one path the backend will get. A declared body over the limit is refused after routing, so that every
 * refusal made once the route is known is counted under it. It decides (for a preflight, with the route's CORS
 * verdict and the headers of its answer); {@link ClientConnectionHandler} acts. Everything it consults comes from
 * the one {@link GatewaySnapshot} the request read when its head arrived.
 */
public final class RequestHeadRouter {
    private static final Logger log = LoggerFactory.getLogger(RequestHeadRouter.class);

    sealed interface Decision {
        /** The route the request is counted and logged under, or {@code null} when it was decided before routing. */
        RouteHandle route();
    }

    /** @param route the route the request matched (or matched all but the method), or {@code null} before routing */
    record Refuse(Rejection rejection, RouteHandle route) implements Decision {}

    record BuiltIn(String rawPath) implements Decision {
        @Override
        public RouteHandle route() {
            return null;
        }
    }

    /** An allowed CORS preflight for a route with CORS on, answered by the gateway before any auth: 204. */
    record Preflight(RouteHandle route, HttpHeaders headers) implements Decision {}

    /** A request to proxy, once the route's security chain admits it. */
    record Proxy(RoutedRequest routed) implements Decision {
        @Override
        public RouteHandle route() {
            return routed.route();
        }

        /** The route's security chain. */
        RoutePolicy policy() {
            return routed.route().policy();
        }
    }

    private RequestHeadRouter() {}

    /**
     * @param runtime  where the HTTPS listener's bound port is, for {@link HttpsRedirect}
     * @param snapshot the configuration the request read when its head arrived
     * @param request  the request so far: its real client address guards the built-ins, its ID marks the log
     */
    static Decision decide(GatewayRuntime runtime, GatewaySnapshot snapshot, HttpRequest head,
                           RequestContext request) {
        RequestHeadValidator validator = snapshot.validator();
        Rejection rejection = validator.validate(head);
        if (rejection != null) {
            if (head.decoderResult().isFailure()) {
                log.debug("request {}: malformed head", request.requestId(), head.decoderResult().cause());
            }
            return refuse(rejection);
        }
        InetAddress client = request.clientAddress();
        RequestTarget target = RequestTarget.parse(head.uri());
        if (target == null) {
            return refuse(Rejection.closing(HttpResponseStatus.BAD_REQUEST, "bad_request",
                    "unsupported request target"));
        }
        String host = head.headers().get(HttpHeaderNames.HOST);
        if (target.host() != null) {
            Rejection invalid = validator.validateAuthority(target.host());
            if (invalid != null) {
                return refuse(invalid);
            }
            host = target.host(); // RFC 9112 §3.2.2: the target's authority replaces the Host header
        } else if (host != null && host.isEmpty()) {
            host = null; // allowed only for a target without an authority (RFC 9110 §7.2), which names no host
        }
        if (BuiltInEndpoints.handles(target.rawPath())) {
            Rejection denied = snapshot.security().refuseBuiltIn(client);
            return denied != null ? refuse(denied) : withinBodyLimit(validator, head, new BuiltIn(target.rawPath()));
        }
        Rejection redirect = HttpsRedirect.of(snapshot, runtime.httpsPort(), request, head.headers(), host, target);
        if (redirect != null) {
            return refuse(redirect);
        }
        String path;
        try {
            path = PathNormalizer.normalize(target.rawPath());
        } catch (InvalidPathException e) {
            // Closing, like every framing and normalisation refusal: a client crafting such paths is probing.
            return refuse(Rejection.closing(HttpResponseStatus.BAD_REQUEST, "invalid_path", e.getMessage()));
        }
        return withinBodyLimit(validator, head, route(snapshot.router(), head, client, host, path, target.rawQuery()));
    }

    private static Decision route(Router<RouteHandle> router, HttpRequest head, InetAddress client, String host,
                                  String path, String rawQuery) {
        String routingHost = RequestTarget.hostWithoutPort(host);
        if (CorsPolicy.isPreflight(head)) {
            // Routed by the method the browser asks about, as that is the route whose CORS rules apply.
            RouteResult<RouteHandle> asked = router.match(CorsPolicy.requestedMethod(head), routingHost, path,
                    rawQuery, head.headers());
            if (asked instanceof RouteResult.Matched<RouteHandle> matched) {
                RoutePolicy policy = matched.handle().policy();
                if (policy.cors() != null) {
                    HttpHeaders answer = new DefaultHttpHeaders();
                    Rejection refused = policy.preflight(head.headers(), client, answer);
                    return refused != null ? new Refuse(refused, matched.handle())
                            : new Preflight(matched.handle(), answer);
                }
            }
        }
        RouteResult<RouteHandle> result = router.match(head.method().name(), routingHost, path, rawQuery,
                head.headers());
        if (result instanceof RouteResult.Matched<RouteHandle> matched) {
            boolean upgrade = WebSocketUpgrade.isRequested(head);
            if (upgrade && matched.handle().route().config().websocket() == null) {
                return new Refuse(WebSocketUpgrade.NOT_ALLOWED, matched.handle()); // never a half-upgrade proxied
            }
            return new Proxy(new RoutedRequest(matched, path, rawQuery, host, upgrade));
        }
        if (result instanceof RouteResult.MethodNotAllowed<RouteHandle> notAllowed) {
            return new Refuse(Rejection.of(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    head.method() + " is not allowed on " + path)
                    .withHeader(HttpHeaderNames.ALLOW, notAllowed.allowHeader()), notAllowed.handle());
        }
        return refuse(Rejection.of(HttpResponseStatus.NOT_FOUND, "route_not_found", "no route for " + path));
    }

    /**
     * A declared body over {@code server.limits.max_body_bytes} is refused whatever routing decided, but only once
     * routing is done, so that the 413 is counted and logged under the request's route.
     */
    private static Decision withinBodyLimit(RequestHeadValidator validator, HttpRequest head, Decision decision) {
        Rejection tooLarge = validator.checkDeclaredBody(head.headers());
        return tooLarge == null ? decision : new Refuse(tooLarge, decision.route());
    }

    private static Refuse refuse(Rejection rejection) {
        return new Refuse(rejection, null);
    }
}
