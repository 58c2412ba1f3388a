package io.gatehouse.security;

import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.context.Rejection;
import io.gatehouse.metrics.GatewayMetrics;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.micrometer.core.instrument.Counter;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One rate-limit policy whose buckets live in Redis, shared by every gateway instance using the same Redis:
 * each check is one asynchronous compare-and-swap round trip (Bucket4j over Lettuce), never blocking the event
 * loop, bounded by {@code rate_limit.redis.timeout}.
 */
final class RedisRateLimiter implements Limiter {
    private final RateLimitConfig.Policy policy;
    private final RedisBuckets redis;
    private final BucketConfiguration configuration;
    private final String keyPrefix;
    private final AsciiString headerName;
    private final Counter allowed;
    private final Counter limited;

    RedisRateLimiter(RateLimitConfig.Policy policy, RedisBuckets redis, GatewayMetrics metrics) {
        this.policy = policy;
        this.redis = redis;
        this.configuration = BucketConfiguration.builder()
                .addLimit(RateLimiter.bandwidth(policy))
                .build();
        this.keyPrefix = "gatehouse:rl:" + policy.id() + ":";
        this.headerName = policy.header() == null ? null : AsciiString.cached(policy.header().toLowerCase(Locale.ROOT));
        this.allowed = metrics.rateLimitDecisions(policy.id(), "allowed");
        this.limited = metrics.rateLimitDecisions(policy.id(), "limited");
    }

    @Override
    public RateLimitConfig.Policy policy() {
        return policy;
    }

    @Override
    public AsciiString headerName() {
        return headerName;
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
                        (probe.isConsumed() ? allowed : limited).increment();
                    }
                });
    }

    @Override
    public Rejection onFailure(Throwable cause) {
        return redis.failed(cause);
    }
}
