package io.gatehouse.security;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/** The rate-limit response headers: the IETF draft's {@code RateLimit-*} and the common {@code X-RateLimit-*}. */
public final class RateLimitHeaders {
    static final AsciiString LIMIT = AsciiString.cached("ratelimit-limit");
    static final AsciiString REMAINING = AsciiString.cached("ratelimit-remaining");
    static final AsciiString RESET = AsciiString.cached("ratelimit-reset");
    static final AsciiString X_LIMIT = AsciiString.cached("x-ratelimit-limit");
    static final AsciiString X_REMAINING = AsciiString.cached("x-ratelimit-remaining");
    static final AsciiString X_RESET = AsciiString.cached("x-ratelimit-reset");

    private RateLimitHeaders() {}

    /** Adds the position of an admitted request. */
    public static void apply(HttpHeaders headers, RateLimitStatus status) {
        headers.set(LIMIT, status.limit()).set(REMAINING, status.remaining()).set(RESET, status.resetSeconds())
                .set(X_LIMIT, status.limit()).set(X_REMAINING, status.remaining()).set(X_RESET, status.resetSeconds());
    }
}
