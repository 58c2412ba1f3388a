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

    /** Numbers below this are formatted once: most remaining counts and resets, and common limits. */
    private static final int CACHED_NUMBERS = 1024;
    private static final AsciiString[] NUMBERS = new AsciiString[CACHED_NUMBERS];

    static {
        for (int i = 0; i < CACHED_NUMBERS; i++) {
            NUMBERS[i] = AsciiString.cached(Integer.toString(i));
        }
    }

    private RateLimitHeaders() {}

    /** Adds the position of an admitted request; each number is formatted once for both of its headers. */
    public static void apply(HttpHeaders headers, RateLimitStatus status) {
        CharSequence limit = text(status.limit());
        CharSequence remaining = text(status.remaining());
        CharSequence reset = text(status.resetSeconds());
        headers.set(LIMIT, limit).set(REMAINING, remaining).set(RESET, reset)
                .set(X_LIMIT, limit).set(X_REMAINING, remaining).set(X_RESET, reset);
    }

    private static CharSequence text(long value) {
        return value >= 0 && value < CACHED_NUMBERS ? NUMBERS[(int) value] : Long.toString(value);
    }
}
