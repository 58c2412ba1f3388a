package io.gatehouse.security;

import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.context.Rejection;
import io.gatehouse.metrics.GatewayMetrics;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One rate-limit policy whose buckets live in Redis, shared by every gateway instance using the same Redis:
 * each check is one asynchronous compare-and-swap round trip (Bucket4j over Lettuce), never blocking the event
 * loop, bounded by {@code rate_limit.redis.timeout}.
 */
final class RedisRateLimiter extends PolicyLimiter {
    private final RedisBuckets redis;
    private final BucketConfiguration configuration;
    private final String keyPrefix;

    RedisRateLimiter(RateLimitConfig.Policy policy, RedisBuckets redis, GatewayMetrics metrics) {
        super(policy, metrics);
        this.redis = redis;
        this.configuration = BucketConfiguration.builder()
                .addLimit(bandwidth(policy))
                .build();
        this.keyPrefix = keyPrefix(policy);
    }

    /** Token by token for a rate limit; the whole limit at once each period for a quota. */
    private static Bandwidth bandwidth(RateLimitConfig.Policy policy) {
        var capacity = Bandwidth.builder().capacity(policy.burst());
        return (policy.quota() ? capacity.refillIntervally(policy.limit(), policy.period())
                : capacity.refillGreedy(policy.limit(), policy.period())).build();
    }

    /**
     * What every Redis key of a policy starts with: {@code gatehouse:rl:ID:SHAPE:} for a rate limit,
     * {@code gatehouse:quota:ID:SHAPE:} for a quota, where SHAPE is the bucket's configuration, such as
     * {@code 100-per-PT1S-burst-200} or {@code 10000-per-PT24H}. Redis keeps a bucket's configuration with its
     * tokens and Bucket4j goes on using the stored one, so a changed limit names new buckets; with the same
     * configuration the keys are the same in every process and after every restart.
     */
    static String keyPrefix(RateLimitConfig.Policy policy) {
        String shape = policy.limit() + "-per-" + policy.period()
                + (policy.quota() ? "" : "-burst-" + policy.burst());
        return "gatehouse:" + (policy.quota() ? "quota:" : "rl:") + policy.id() + ":" + shape + ":";
    }

    @Override
    public CompletableFuture<ConsumptionProbe> acquire(BucketKey key) {
        AsyncProxyManager<byte[]> buckets = redis.buckets();
        if (buckets == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected to Redis"));
        }
        byte[] redisKey = (keyPrefix + key.text()).getBytes(StandardCharsets.UTF_8);
        return buckets.builder().build(redisKey, configuration)
                .tryConsumeAndReturnRemaining(1)
                .orTimeout(redis.timeout().toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((probe, error) -> {
                    if (probe != null) {
                        redis.answered();
                        count(probe);
                    }
                });
    }

    @Override
    public Rejection onFailure(Throwable cause) {
        return redis.failed(cause);
    }
}
