package io.gatehouse.proxy.downstream;

import io.gatehouse.context.ClientPeer;
import io.gatehouse.context.Protocol;
import io.gatehouse.context.Rejection;
import io.gatehouse.context.RequestContext;
import io.gatehouse.metrics.RouteMeters;
import io.gatehouse.proxy.GatewayRuntime;
import io.gatehouse.proxy.GatewaySnapshot;
import io.gatehouse.proxy.RequestIds;
import io.gatehouse.proxy.RouteHandle;
import io.gatehouse.proxy.RouteTarget;
import io.gatehouse.tracing.GatewayTracing;
import io.gatehouse.tracing.RequestSpan;
import io.gatehouse.upstream.Backend;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The record of each request on one client connection: its {@link RequestContext}, the in-flight gauge, the meters
 * it counts under (the unrouted ones until a route is chosen), its SERVER span when tracing is on, and its access-log
 * line when it ends.
 */
final class RequestAccounting {
    private final GatewayRuntime runtime;
    private RouteMeters meters;
    /** The current request's SERVER span; null when tracing is off. */
    private RequestSpan span;

    RequestAccounting(GatewayRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Opens the record of a request from its head, or ({@code head} null) of one refused before its head arrived,
     * which has no method or path to log but gets a request ID like any other. With tracing on, its SERVER span
     * starts here and its ids are on the context before anything is counted.
     *
     * @param overTls the client reached the gateway over TLS, for {@code url.scheme}
     */
    RequestContext begin(GatewaySnapshot snapshot, ClientPeer peer, HttpRequest head, boolean overTls) {
        meters = runtime.unroutedMeters();
        runtime.metrics().requestStarted();
        RequestContext request;
        if (head == null) {
            request = new RequestContext(peer, null, null, RequestIds.generate());
        } else {
            request = new RequestContext(peer, head.method().name(), snapshot.security().loggableUri(head.uri()),
                    RequestIds.of(head.headers()));
            if (HttpVersion.HTTP_1_0.equals(head.protocolVersion())) {
                request.protocol(Protocol.HTTP_1_0); // HTTP/1.1 otherwise; an HTTP/2 stream sets its own
            }
            request.clientAddress(snapshot.forwardedHeaders().clientAddress(peer, head.headers()));
        }
        GatewayTracing tracing = snapshot.tracing();
        span = tracing == null ? null : tracing.startRequest(head, request, overTls);
        return request;
    }

    /** The current request's SERVER span; null when tracing is off. */
    RequestSpan span() {
        return span;
    }

    /** Names the SERVER span after what routing decided: the route, the normalised path, the host addressed. */
    void traceRouting(RequestHeadRouter.Decision decision, HttpRequest head) {
        if (span == null || !span.isRecording()) {
            return;
        }
        RouteHandle route = decision.route();
        if (decision instanceof RequestHeadRouter.Proxy proxy) {
            span.routed(route.id(), proxy.routed().path(), RequestTarget.hostWithoutPort(proxy.routed().host()));
        } else {
            RequestTarget target = RequestTarget.parse(head.uri());
            span.routed(route == null ? null : route.id(), target == null ? null : target.rawPath(), null);
        }
    }

    /** The gateway answers the current request with {@code rejection}: an event on its span. */
    void refused(Rejection rejection) {
        if (span != null) {
            span.refused(rejection.code());
        }
    }

    /** Logs and counts the request under its route from here on ({@code route} null: nothing changes). */
    void countUnder(RequestContext request, RouteHandle route) {
        if (route != null) {
            RouteTarget target = route.target();
            request.routeId(route.id());
            request.poolName(target.pool().name());
            meters = target.meters();
        }
    }

    /**
     * Ends a request whose connection closed before its response was complete: nginx's 499 "client closed request"
     * when no response had started; else the status that was sent, marked aborted.
     */
    void connectionLost(RequestContext request) {
        if (request.status() == 0) {
            finish(request, 499, true);
        } else {
            request.markAborted();
            finish(request, request.status(), false);
        }
    }

    void finish(RequestContext done, int status) {
        finish(done, status, false);
    }

    private void finish(RequestContext done, int status, boolean clientLeft) {
        done.finish(status);
        if (span != null) {
            span.end(done, clientLeft);
            span = null;
        }
        runtime.metrics().requestFinished();
        meters.record(done, status);
        runtime.accessLog().record(done);
    }
}
