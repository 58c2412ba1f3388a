package io.gatehouse.security;

import io.gatehouse.config.RateLimitConfig.KeyKind;
import io.gatehouse.context.Rejection;
import io.github.bucket4j.ConsumptionProbe;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The rate-limit policies of one route, in two groups: those keyed by what is known before authentication
 * (client address, route, header, global), checked first so floods are refused cheaply, and those keyed by the
 * authenticated consumer, checked after authentication.
 */
final class RouteRateLimits {
    static final RouteRateLimits NONE = new RouteRateLimits("", List.of());
    static final int BEFORE_AUTH = 0;
    static final int AFTER_AUTH = 1;

    private final BucketKey routeKey;
    private final Limiter[][] groups;

    RouteRateLimits(String routeId, List<? extends Limiter> limiters) {
        this.routeKey = BucketKey.route(routeId);
        this.groups = new Limiter[][] {
                limiters.stream().filter(l -> l.policy().key() != KeyKind.CONSUMER).toArray(Limiter[]::new),
                limiters.stream().filter(l -> l.policy().key() == KeyKind.CONSUMER).toArray(Limiter[]::new)};
    }

    boolean hasBeforeAuth() {
        return groups[BEFORE_AUTH].length > 0;
    }

    boolean hasAfterAuth() {
        return groups[AFTER_AUTH].length > 0;
    }

    /**
     * Takes a token from each policy of a group, continuing where an earlier run of this request stopped.
     *
     * @param group {@link #BEFORE_AUTH} or {@link #AFTER_AUTH}
     * @return null when every policy admits the request (its tightest position is in {@code progress}), a
     *         {@link Rejection} (429, or the refusal of an unreachable shared store), or a future to wait for
     *         before running the chain again
     */
    Object check(int group, HttpHeaders headers, InetAddress client, String consumer, AdmissionProgress progress) {
        Limiter[] limiters = groups[group];
        for (int i = progress.nextLimiter(group); i < limiters.length; i++) {
            Limiter limiter = limiters[i];
            CompletableFuture<ConsumptionProbe> answer = progress.takePending(group, i);
            if (answer == null) {
                answer = limiter.acquire(key(limiter, headers, client, consumer));
            }
            if (!answer.isDone()) {
                progress.waitFor(group, i, answer);
                return answer;
            }
            progress.limiterDone(group, i);
            ConsumptionProbe probe;
            try {
                probe = answer.join();
            } catch (RuntimeException failed) {
                Rejection refusal = limiter.onFailure(failed);
                if (refusal != null) {
                    return refusal;
                }
                continue;
            }
            long limit = limiter.policy().limit();
            long reset = seconds(probe.getNanosToWaitForReset());
            if (!probe.isConsumed()) {
                return tooManyRequests(limiter, limit, reset, seconds(probe.getNanosToWaitForRefill()));
            }
            progress.tighten(new RateLimitStatus(limit, probe.getRemainingTokens(), reset));
        }
        return null;
    }

    /** The one place a request's bucket key is built, for local and Redis buckets alike. */
    private BucketKey key(Limiter limiter, HttpHeaders headers, InetAddress client, String consumer) {
        return switch (limiter.policy().key()) {
            case CLIENT_IP -> BucketKey.client(client);
            case CONSUMER -> consumer != null ? BucketKey.consumer(consumer) : BucketKey.client(client);
            case ROUTE -> routeKey;
            case HEADER -> {
                String value = headers.get(limiter.headerName());
                yield BucketKey.headerValue(value == null ? "" : value);
            }
            case GLOBAL -> BucketKey.GLOBAL;
        };
    }

    private static Rejection tooManyRequests(Limiter limiter, long limit, long reset, long retryAfter) {
        var policy = limiter.policy();
        String period = policy.period().toString().substring(2).toLowerCase(Locale.ROOT);
        return Rejection.of(HttpResponseStatus.TOO_MANY_REQUESTS, policy.quota() ? "quota_exceeded" : "rate_limited",
                        (policy.quota() ? "quota of " : "rate limit of ") + limit + " per " + period
                                + " exceeded (" + (policy.quota() ? "quota " : "policy ") + policy.id() + ")")
                .withHeader(HttpHeaderNames.RETRY_AFTER, Math.max(1, retryAfter))
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
