package io.gatehouse.proxy.exchange;

import io.gatehouse.context.Rejection;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * What makes a request a WebSocket opening handshake (RFC 6455 §4.1) and how its upgrade headers cross the gateway:
 * the one exception to stripping {@code Upgrade} and {@code Connection} as hop-by-hop headers.
 */
public final class WebSocketUpgrade {
    /**
     * An upgrade on a route without {@code websocket}: refused like Envoy does an upgrade type a route does not
     * allow, with 403, as the request is understood but not permitted there (426 would ask the client to upgrade).
     */
    public static final Rejection NOT_ALLOWED = Rejection.of(HttpResponseStatus.FORBIDDEN, "websocket_not_allowed",
            "WebSocket upgrades are not allowed on this route");

    private WebSocketUpgrade() {}

    /**
     * A GET over HTTP/1.1 without a body whose {@code Upgrade} has the token websocket and {@code Connection} the
     * token upgrade. (A body would have to be read before the tunnel, while the client is not read: such a request
     * is an ordinary one, its upgrade headers stripped.)
     */
    public static boolean isRequested(HttpRequest head) {
        HttpHeaders headers = head.headers();
        return headers.contains(HttpHeaderNames.UPGRADE) // first: one lookup, no iterator, for every other request
                && HttpMethod.GET.equals(head.method()) && HttpVersion.HTTP_1_1.equals(head.protocolVersion())
                && headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && !HttpUtil.isTransferEncodingChunked(head) && HttpUtil.getContentLength(head, 0L) == 0;
    }

    /** A backend's 101 that switched to WebSocket, as asked; any other 101 is a protocol error of the backend. */
    static boolean isAccepted(HttpResponse response) {
        return response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()
                && response.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /** Puts back the two headers the hop-by-hop stripping removed (the Sec-WebSocket-* ones it leaves). */
    public static void restoreUpgradeHeaders(HttpHeaders headers) {
        headers.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    }
}
