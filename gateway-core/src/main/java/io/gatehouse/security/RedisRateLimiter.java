package io.gatehouse.security;

import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.context.Rejection;
import io.gatehouse.metrics.GatewayMetrics;
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
                .addLimit(RateLimiter.bandwidth(policy))
                .build();
        this.keyPrefix = "gatehouse:rl:" + policy.id() + ":";
    }

    @Override
    public CompletableFuture<ConsumptionProbe> acquire(Object key) {
        AsyncProxyManager<byte[]> buckets = redis.buckets();
        if (buckets == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected to Redis"));
        }
        byte[] redisKey = (keyPrefix + key).getBytes(StandardCharsets.UTF_8);
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
