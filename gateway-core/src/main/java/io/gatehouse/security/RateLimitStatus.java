package io.gatehouse.security;

/**
 * The tightest rate-limit position of a request, for the {@code RateLimit-*} response headers (IETF draft) and
 * their {@code X-RateLimit-*} twins.
 *
 * @param limit        the policy's limit per period
 * @param remaining    tokens left after this request
 * @param resetSeconds seconds until the bucket is full again
 */
public record RateLimitStatus(long limit, long remaining, long resetSeconds) {
}
