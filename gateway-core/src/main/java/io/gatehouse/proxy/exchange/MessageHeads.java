package io.gatehouse.proxy.exchange;

import io.gatehouse.context.ClientPeer;
import io.gatehouse.context.RequestContext;
import io.gatehouse.proxy.ForwardedHeaders;
import io.gatehouse.proxy.GatewaySnapshot;
import io.gatehouse.proxy.HopByHopHeaders;
import io.gatehouse.proxy.ResponseHeaders;
import io.gatehouse.route.Route;
import io.gatehouse.security.Principal;
import io.gatehouse.security.UpstreamIdentity;
import io.gatehouse.upstream.Backend;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Rewrites message heads as they cross the gateway: the client's request head into the upstream request, the
 * backend's response head into the client response. Both are edited in place; nothing is copied.
 */
public final class MessageHeads {
    private MessageHeads() {}

    /**
     * Turns the client's request head into the one sent upstream: HTTP/1.1 to the backend, the route's path,
     * hop-by-hop headers and {@code Expect} removed (the gateway answers 100-continue itself), forwarding headers
     * added, the consumer's identity headers and the request ID set; a WebSocket upgrade keeps its upgrade headers.
     * The backend's {@code Host} is set by {@link #setUpstreamHost} once a backend is chosen.
     */
    static void prepareUpstreamRequest(HttpRequest request, RoutedRequest decision,
                                       GatewaySnapshot snapshot, RequestContext context, Principal principal) {
        UpstreamIdentity identity = snapshot.security().upstreamIdentity();
        prepareUpstreamRequest(request, decision.matched().route(), decision.path(),
                identity.upstreamQuery(decision.rawQuery()), snapshot.forwardedHeaders(), context.client(),
                decision.host(), decision.upgrade());
        identity.apply(request.headers(), principal);
        request.headers().set(ResponseHeaders.X_REQUEST_ID, context.requestId());
    }

    private static void prepareUpstreamRequest(HttpRequest request, Route route, String path, String rawQuery,
                                               ForwardedHeaders forwarded, ClientPeer peer, String originalHost,
                                               boolean upgrade) {
        HttpHeaders headers = request.headers();
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        HopByHopHeaders.strip(headers);
        headers.remove(HttpHeaderNames.EXPECT);
        if (upgrade) {
            WebSocketUpgrade.restoreUpgradeHeaders(headers);
        }
        if (chunked) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        String upstreamPath = route.upstreamPath(path);
        request.setUri(rawQuery == null ? upstreamPath : upstreamPath + '?' + rawQuery);
        forwarded.apply(headers, peer, originalHost);
    }

    /**
     * The backend's own {@code Host}, unless the route preserves the client's: then the host the client asked for,
     * which for an absolute-form target is its authority, not the Host header it came with (RFC 9112 §3.2.2).
     */
    static void setUpstreamHost(HttpRequest request, Route route, Backend backend, String originalHost) {
        boolean preserve = route.preserveHost() && originalHost != null;
        request.headers().set(HttpHeaderNames.HOST, preserve ? originalHost : backend.hostHeader());
    }

    /** Turns the backend's response head into the client's: hop-by-hop headers removed, {@code Via} added. */
    static void prepareClientResponse(HttpResponse response) {
        HopByHopHeaders.strip(response.headers());
        ForwardedHeaders.appendVia(response.headers());
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /**
     * Frames a prepared response body for an HTTP/1.x client: a body the backend delimited by chunking, by closing
     * or by the end of an HTTP/2 stream goes to an HTTP/1.1 client chunked; an HTTP/1.0 client gets it delimited by
     * close.
     *
     * @return true when the client connection must close after this response to delimit its body
     */
    public static boolean frameForClient(HttpResponse response, boolean http10Client, boolean headRequest) {
        HttpHeaders headers = response.headers();
        int code = response.status().code();
        boolean bodiless = headRequest || code == 204 || code == 304;
        if (headers.contains(HttpHeaderNames.CONTENT_LENGTH) || bodiless) {
            return false;
        }
        if (http10Client) {
            return true;
        }
        headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        return false;
    }
}
