package io.gatehouse.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;

/**
 * {@code /healthz}, {@code /readyz} and {@code /metrics}, answered on the gateway port before routing and
 * authentication, so probes and scrapers work whatever the routes say.
 */
final class BuiltInEndpoints {
    private static final AsciiString PROMETHEUS_TEXT = AsciiString.cached("text/plain; version=0.0.4; charset=utf-8");

    private BuiltInEndpoints() {}

    static boolean handles(String rawPath) {
        return switch (rawPath) {
            case "/healthz", "/readyz", "/metrics" -> true;
            default -> false;
        };
    }

    static FullHttpResponse respond(GatewayRuntime runtime, String rawPath, HttpMethod method, ByteBufAllocator alloc,
                                    String requestId) {
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            FullHttpResponse response = ErrorResponses.error(alloc, HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method_not_allowed", rawPath + " supports GET and HEAD", requestId);
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            return response;
        }
        return switch (rawPath) {
            case "/healthz" -> ErrorResponses.json(alloc, HttpResponseStatus.OK, "{\"status\":\"ok\"}\n");
            case "/readyz" -> runtime.isReady()
                    ? ErrorResponses.json(alloc, HttpResponseStatus.OK, "{\"status\":\"ready\"}\n")
                    : ErrorResponses.json(alloc, HttpResponseStatus.SERVICE_UNAVAILABLE,
                    runtime.isDraining() ? "{\"status\":\"draining\"}\n" : "{\"status\":\"starting\"}\n");
            case "/metrics" -> ErrorResponses.text(alloc, HttpResponseStatus.OK, PROMETHEUS_TEXT,
                    runtime.metrics().scrape());
            default -> throw new IllegalArgumentException(rawPath);
        };
    }
}
