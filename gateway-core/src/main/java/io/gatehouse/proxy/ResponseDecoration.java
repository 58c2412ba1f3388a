package io.gatehouse.proxy;

import io.gatehouse.security.CorsPolicy;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * What every response to the current request gets, proxied or the gateway's own: its request ID, the route's
 * CORS headers for its origin, and the security headers. One per connection, reset for each request.
 */
final class ResponseDecoration {
    private final ResponseHeaders responseHeaders;
    private String requestId;
    private String origin;
    private boolean overTls;
    private CorsPolicy cors;

    ResponseDecoration(ResponseHeaders responseHeaders) {
        this.responseHeaders = responseHeaders;
    }

    /** A new request: no CORS until a route with CORS is chosen. */
    void reset(String requestId, String origin, boolean overTls) {
        this.requestId = requestId;
        this.origin = origin;
        this.overTls = overTls;
        this.cors = null;
    }

    /** The chosen route's CORS policy (null when off, and for a preflight, whose answer has its own). */
    void cors(CorsPolicy cors) {
        this.cors = cors;
    }

    void apply(HttpHeaders headers) {
        responseHeaders.apply(headers, requestId, overTls, cors, origin);
    }
}
