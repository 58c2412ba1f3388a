package io.gatehouse.proxy.downstream;

import io.gatehouse.json.Json;
import io.gatehouse.lifecycle.Readiness;
import io.gatehouse.metrics.Exposition;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.proxy.ErrorResponses;
import io.gatehouse.proxy.GatewayRuntime;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Locale;

/**
 * {@code /healthz}, {@code /readyz} and {@code /metrics}, answered on the gateway port before routing and
 * authentication, so probes and scrapers work whatever the routes say.
 */
public final class BuiltInEndpoints {
    private BuiltInEndpoints() {}

    public static boolean handles(String rawPath) {
        return switch (rawPath) {
            case "/healthz", "/readyz", "/metrics" -> true;
            default -> false;
        };
    }

    static FullHttpResponse respond(GatewayRuntime runtime, String rawPath, HttpRequest head, ByteBufAllocator alloc,
                                    String requestId) {
        HttpMethod method = head.method();
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            FullHttpResponse response = ErrorResponses.error(alloc, HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method_not_allowed", rawPath + " supports GET and HEAD", requestId);
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            return response;
        }
        return switch (rawPath) {
            case "/healthz" -> ErrorResponses.json(alloc, HttpResponseStatus.OK, "{\"status\":\"ok\"}\n");
            case "/readyz" -> readyz(alloc, runtime.readiness().report());
            case "/metrics" -> metrics(runtime.metrics(), head, alloc, requestId);
            default -> throw new IllegalArgumentException(rawPath);
        };
    }

    /**
     * The meters in the format the scraper accepts: OpenMetrics (with exemplars) when it asks for it, as Prometheus
     * does, else the Prometheus text format; 404 when metrics are disabled.
     */
    private static FullHttpResponse metrics(GatewayMetrics metrics, HttpRequest head, ByteBufAllocator alloc,
                                            String requestId) {
        if (!metrics.enabled()) {
            return ErrorResponses.error(alloc, HttpResponseStatus.NOT_FOUND, "not_found",
                    "metrics are disabled (metrics.enabled: false)", requestId);
        }
        Exposition format = Exposition.accepted(head.headers().get(HttpHeaderNames.ACCEPT));
        return ErrorResponses.text(alloc, HttpResponseStatus.OK, format.header(), metrics.scrape(format));
    }

    /**
     * 200 {@code {"status":"ready"}}, with {@code "unavailable":[...]} when the ready timeout passed before every
     * startup gate opened; else 503 {@code {"status":"starting","waiting_for":[...]}} or
     * {@code {"status":"draining"}}.
     */
    private static FullHttpResponse readyz(ByteBufAllocator alloc, Readiness.Report report) {
        StringBuilder body = new StringBuilder("{\"status\":\"")
                .append(report.status().name().toLowerCase(Locale.ROOT)).append('"');
        if (report.status() != Readiness.Status.DRAINING && !report.closedGates().isEmpty()) {
            body.append(report.ready() ? ",\"unavailable\":[" : ",\"waiting_for\":[");
            for (int i = 0; i < report.closedGates().size(); i++) {
                Json.appendString(body.append(i == 0 ? "" : ","), report.closedGates().get(i));
            }
            body.append(']');
        }
        return ErrorResponses.json(alloc, report.ready() ? HttpResponseStatus.OK
                : HttpResponseStatus.SERVICE_UNAVAILABLE, body.append("}\n"));
    }
}
