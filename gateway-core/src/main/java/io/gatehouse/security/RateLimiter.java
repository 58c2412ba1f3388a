package io.gatehouse.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.metrics.GatewayMetrics;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

import io.gatehouse.context.Rejection;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One rate-limit policy's token buckets (Bucket4j, lock-free), one per key, in a bounded map that forgets a key
 * once its bucket would be full again anyway: a flood of distinct client addresses cannot grow memory past
 * {@code maxKeys}, and an evicted key only gets a fresh (full) bucket, the state it would have reached.
 */
final class RateLimiter extends PolicyLimiter {
    static final int DEFAULT_MAX_KEYS = 100_000;

    private final Bandwidth bandwidth;
    private final TimeMeter clock;
    private final Cache<BucketKey, Bucket> buckets;
    private final java.util.function.Function<BucketKey, Bucket> bucketFactory = key -> newBucket(); // one, not one per call

    RateLimiter(RateLimitConfig.Policy policy, GatewayMetrics metrics, TimeMeter clock, int maxKeys) {
        super(policy, metrics);
        this.clock = clock;
        this.bandwidth = bandwidth(policy);
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
        ConsumptionProbe probe = buckets.get(key, bucketFactory).tryConsumeAndReturnRemaining(1);
        count(probe);
        return probe;
    }

    /** Keys held now (after pending evictions); for tests of the bound. */
    long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    /** Token by token for a rate limit; the whole limit at once each period for a quota. */
    static Bandwidth bandwidth(RateLimitConfig.Policy policy) {
        var capacity = Bandwidth.builder().capacity(policy.burst());
        return (policy.quota() ? capacity.refillIntervally(policy.limit(), policy.period())
                : capacity.refillGreedy(policy.limit(), policy.period())).build();
    }

    private Bucket newBucket() {
        return Bucket.builder().addLimit(bandwidth).withCustomTimePrecision(clock).build();
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
