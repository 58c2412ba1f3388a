package io.gatehouse.security;

import io.gatehouse.config.RateLimitConfig;
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
 * A group of a route's rate-limit policies, taking one token from each in turn. A route has up to two: the
 * policies keyed by what is known before authentication (client address, route, header, global), checked first so
 * floods are refused cheaply, and those keyed by the authenticated consumer, checked after authentication. A
 * Redis bucket that has not answered yet makes the request wait; it then resumes at that same policy, so no
 * policy takes two tokens for one request.
 */
final class RateLimitStep implements AdmissionStep {
    private final BucketKey routeKey;
    private final Limiter[] limiters;
    /** The 429's message of each limiter, built once: floods are refused at the least cost. */
    private final String[] refusals;

    /** @param limiters at least one */
    RateLimitStep(String routeId, List<? extends Limiter> limiters) {
        this.routeKey = BucketKey.route(routeId);
        this.limiters = limiters.toArray(Limiter[]::new);
        this.refusals = limiters.stream().map(limiter -> refusal(limiter.policy())).toArray(String[]::new);
    }

    @Override
    public Admission check(HttpHeaders headers, InetAddress client, String rawQuery, AdmissionProgress progress) {
        for (int i = progress.position(); i < limiters.length; i++) {
            Limiter limiter = limiters[i];
            CompletableFuture<ConsumptionProbe> answer = progress.takePending();
            if (answer == null) {
                answer = limiter.acquire(key(limiter, headers, client, progress.consumerName()));
            }
            if (!answer.isDone()) {
                progress.position(i);
                progress.waitFor(answer);
                return new Admission.Waiting(answer);
            }
            ConsumptionProbe probe;
            try {
                probe = answer.join();
            } catch (RuntimeException failed) {
                Rejection refusal = limiter.onFailure(failed);
                if (refusal != null) {
                    return new Admission.Refused(refusal);
                }
                continue;
            }
            long limit = limiter.policy().limit();
            long reset = seconds(probe.getNanosToWaitForReset());
            if (!probe.isConsumed()) {
                return new Admission.Refused(tooManyRequests(limiter.policy().quota(), refusals[i], limit, reset,
                        seconds(probe.getNanosToWaitForRefill())));
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

    /** E.g. {@code rate limit of 100 per 1s exceeded (policy per-ip)}. */
    private static String refusal(RateLimitConfig.Policy policy) {
        String period = policy.period().toString().substring(2).toLowerCase(Locale.ROOT);
        return (policy.quota() ? "quota of " : "rate limit of ") + policy.limit() + " per " + period
                + " exceeded (" + (policy.quota() ? "quota " : "policy ") + policy.id() + ")";
    }

    private static Rejection tooManyRequests(boolean quota, String message, long limit, long reset, long retryAfter) {
        return Rejection.of(HttpResponseStatus.TOO_MANY_REQUESTS, quota ? "quota_exceeded" : "rate_limited", message)
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
