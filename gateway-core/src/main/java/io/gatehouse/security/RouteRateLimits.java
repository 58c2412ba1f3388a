package io.gatehouse.security;

import io.gatehouse.config.RateLimitConfig.KeyKind;
import io.gatehouse.context.Rejection;
import io.github.bucket4j.ConsumptionProbe;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The rate-limit policies of one route, in two groups: those keyed by what is known before authentication
 * (client address, route, header, global), checked first so floods are refused cheaply, and those keyed by the
 * authenticated consumer, checked after authentication.
 */
final class RouteRateLimits {
    static final RouteRateLimits NONE = new RouteRateLimits("", List.of());
    private static final Object GLOBAL_KEY = new Object();
    static final AsciiString RETRY_AFTER = AsciiString.cached("retry-after");

    private final String routeId;
    private final RateLimiter[] beforeAuth;
    private final RateLimiter[] afterAuth;

    RouteRateLimits(String routeId, List<RateLimiter> limiters) {
        this.routeId = routeId;
        this.beforeAuth = limiters.stream().filter(l -> l.policy().key() != KeyKind.CONSUMER)
                .toArray(RateLimiter[]::new);
        this.afterAuth = limiters.stream().filter(l -> l.policy().key() == KeyKind.CONSUMER)
                .toArray(RateLimiter[]::new);
    }

    boolean hasBeforeAuth() {
        return beforeAuth.length > 0;
    }

    boolean hasAfterAuth() {
        return afterAuth.length > 0;
    }

    /**
     * Takes a token from each policy of the group.
     *
     * @param tightest the status so far, or null
     * @return the 429 {@link Rejection} of the first policy over its limit, else the tightest status so far
     */
    Object check(boolean afterAuthentication, HttpHeaders headers, InetAddress client, String consumer,
                 RateLimitStatus tightest) {
        RateLimiter[] group = afterAuthentication ? afterAuth : beforeAuth;
        RateLimitStatus status = tightest;
        for (RateLimiter limiter : group) {
            ConsumptionProbe probe = limiter.tryAcquire(key(limiter, headers, client, consumer));
            long limit = limiter.policy().limit();
            long reset = seconds(probe.getNanosToWaitForReset());
            if (!probe.isConsumed()) {
                return tooManyRequests(limiter, limit, reset, seconds(probe.getNanosToWaitForRefill()));
            }
            if (status == null || probe.getRemainingTokens() < status.remaining()) {
                status = new RateLimitStatus(limit, probe.getRemainingTokens(), reset);
            }
        }
        return status;
    }

    private Object key(RateLimiter limiter, HttpHeaders headers, InetAddress client, String consumer) {
        return switch (limiter.policy().key()) {
            case CLIENT_IP -> clientKey(client);
            case CONSUMER -> consumer != null ? consumer : clientKey(client);
            case ROUTE -> routeId;
            case HEADER -> {
                String value = headers.get(limiter.headerName());
                yield value == null ? "" : value;
            }
            case GLOBAL -> GLOBAL_KEY;
        };
    }

    /** IPv4 clients by address; IPv6 clients by their /64, as one host usually holds a whole /64. */
    static Object clientKey(InetAddress client) {
        byte[] a = client.getAddress();
        if (!(client instanceof Inet6Address)) {
            return ((a[0] & 0xff) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff);
        }
        long prefix = 0;
        for (int i = 0; i < 8; i++) {
            prefix = (prefix << 8) | (a[i] & 0xff);
        }
        return prefix;
    }

    private static Rejection tooManyRequests(RateLimiter limiter, long limit, long reset, long retryAfter) {
        var policy = limiter.policy();
        return Rejection.of(HttpResponseStatus.TOO_MANY_REQUESTS, "rate_limited",
                        "rate limit of " + limit + " per " + policy.period().toString().substring(2).toLowerCase(Locale.ROOT)
                                + " exceeded (policy " + policy.id() + ")")
                .withHeader(RETRY_AFTER, Math.max(1, retryAfter))
                .withHeader(RateLimitHeaders.LIMIT, limit)
                .withHeader(RateLimitHeaders.REMAINING, 0)
                .withHeader(RateLimitHeaders.RESET, reset)
                .withHeader(RateLimitHeaders.X_LIMIT, limit)
                .withHeader(RateLimitHeaders.X_REMAINING, 0)
                .withHeader(RateLimitHeaders.X_RESET, reset);
    }

    private static long seconds(long nanos) {
        return (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
    }
}
