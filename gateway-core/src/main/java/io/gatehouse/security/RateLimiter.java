package io.gatehouse.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.context.Rejection;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One rate-limit policy's token buckets, one per key, in a bounded map that forgets a key once its bucket would be
 * full again anyway: a flood of distinct client addresses cannot grow memory past {@code maxKeys}, and an evicted
 * key only gets a fresh (full) bucket, the state it would have reached. A key costs about 140 bytes (the map's
 * entry, the key and a {@link LocalBucket} of one or two numbers), 14 MB at the default bound.
 */
final class RateLimiter extends PolicyLimiter {
    static final int DEFAULT_MAX_KEYS = 100_000;

    private final TimeMeter clock;
    private final Cache<BucketKey, LocalBucket> buckets;
    private final Function<BucketKey, LocalBucket> bucketFactory; // one, not one per call

    RateLimiter(RateLimitConfig.Policy policy, GatewayMetrics metrics, TimeMeter clock, int maxKeys) {
        super(policy, metrics);
        this.clock = clock;
        this.bucketFactory = bucketFactory(policy, clock);
        Duration refillToFull = policy.period().multipliedBy(Math.max(1, ceilDiv(policy.burst(), policy.limit())));
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(refillToFull)
                .ticker(clock::currentTimeNanos) // forgets a key when the buckets' own clock says it is full again
                .executor(Runnable::run)
                .build();
    }

    @Override
    public CompletableFuture<ConsumptionProbe> acquire(BucketKey key) {
        return CompletableFuture.completedFuture(tryAcquire(key));
    }

    @Override
    public Rejection onFailure(Throwable cause) {
        throw new IllegalStateException("a local bucket does not fail", cause);
    }

    /** Takes one token from {@code key}'s bucket, counting the decision. */
    ConsumptionProbe tryAcquire(BucketKey key) {
        ConsumptionProbe probe = buckets.get(key, bucketFactory).tryConsume(clock.currentTimeNanos());
        count(probe);
        return probe;
    }

    /** Keys held now (after pending evictions); for tests of the bound. */
    long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    /** Token by token for a rate limit; the whole limit at once each period for a quota. Each new bucket is full. */
    private static Function<BucketKey, LocalBucket> bucketFactory(RateLimitConfig.Policy policy, TimeMeter clock) {
        long periodNanos = policy.period().toNanos();
        if (policy.quota()) {
            WindowBucket.Shape shape = new WindowBucket.Shape(policy.limit(), periodNanos, policy.burst());
            return key -> new WindowBucket(shape, clock.currentTimeNanos());
        }
        ContinuousBucket.Shape shape = ContinuousBucket.Shape.of(policy.limit(), periodNanos, policy.burst());
        return key -> new ContinuousBucket(shape, clock.currentTimeNanos());
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
