package io.gatehouse.proxy.downstream;

import io.gatehouse.proxy.ResponseHeaders;
import io.gatehouse.security.CorsPolicy;
import io.gatehouse.security.RateLimitHeaders;
import io.gatehouse.security.RateLimitStatus;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * What every response to the current request gets, proxied or the gateway's own: its request ID, the route's
 * CORS headers for its origin, the security headers, its rate-limit position once admitted, and the
 * {@code Connection} header. One per connection, reset for each request.
 */
final class ResponseDecoration {
    /** The security headers of the snapshot the request read. */
    private ResponseHeaders responseHeaders;
    private String requestId;
    private String origin;
    private boolean overTls;
    private boolean http10Client;
    private CorsPolicy cors;
    private RateLimitStatus rateLimit;

    /** A new request: no CORS until a route with CORS is chosen. */
    void reset(ResponseHeaders responseHeaders, String requestId, String origin, boolean overTls,
               boolean http10Client) {
        this.responseHeaders = responseHeaders;
        this.requestId = requestId;
        this.origin = origin;
        this.overTls = overTls;
        this.http10Client = http10Client;
        this.cors = null;
        this.rateLimit = null;
    }

    /** The request's rate-limit position once admitted (null when no policy applies). */
    void rateLimit(RateLimitStatus rateLimit) {
        this.rateLimit = rateLimit;
    }

    /** The chosen route's CORS policy (null when off, and for a preflight, whose answer has its own). */
    void cors(CorsPolicy cors) {
        this.cors = cors;
    }

    /** @param closing whether the connection closes after this response, which it then says */
    void apply(HttpHeaders headers, boolean closing) {
        responseHeaders.apply(headers, requestId, overTls, cors, origin);
        if (rateLimit != null) {
            RateLimitHeaders.apply(headers, rateLimit);
        }
        if (closing) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10Client) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }
}
