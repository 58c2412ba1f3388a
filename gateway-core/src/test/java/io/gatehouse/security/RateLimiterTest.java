package io.gatehouse.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.config.RateLimitConfig.KeyKind;
import io.gatehouse.metrics.GatewayMetrics;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Token-bucket behaviour on a clock the test moves, and the bound on the number of keys. */
class RateLimiterTest {
    /** A clock that moves only when told to. */
    private static final class ManualClock implements TimeMeter {
        long nanos = TimeUnit.SECONDS.toNanos(1_000);

        void advance(Duration d) {
            nanos += d.toNanos();
        }

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    }

    private static final BucketKey K = BucketKey.consumer("k");

    private final ManualClock clock = new ManualClock();
    private final GatewayMetrics metrics = new GatewayMetrics();

    private RateLimiter limiter(long limit, Duration period, long burst, int maxKeys) {
        return new RateLimiter(new RateLimitConfig.Policy("p", KeyKind.CLIENT_IP, null, limit, period, burst),
                metrics, clock, maxKeys);
    }

    @Test
    void aBurstIsAdmittedThenTokensComeBackAtTheConfiguredRate() {
        RateLimiter limiter = limiter(2, Duration.ofSeconds(1), 4, 100);

        for (int i = 3; i >= 0; i--) {
            ConsumptionProbe probe = limiter.tryAcquire(K);
            assertThat(probe.isConsumed()).isTrue();
            assertThat(probe.getRemainingTokens()).isEqualTo(i);
        }
        ConsumptionProbe refused = limiter.tryAcquire(K);
        assertThat(refused.isConsumed()).isFalse();
        assertThat(refused.getNanosToWaitForRefill()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(refused.getNanosToWaitForReset()).as("empty: 4 tokens at 2 per second").isEqualTo(TimeUnit.SECONDS.toNanos(2));

        clock.advance(Duration.ofMillis(499));
        assertThat(limiter.tryAcquire(K).isConsumed()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(limiter.tryAcquire(K).isConsumed()).isTrue();
        assertThat(limiter.tryAcquire(BucketKey.consumer("other")).getRemainingTokens()).as("keys have their own buckets").isEqualTo(3);
    }

    @Test
    void aQuotaComesBackWholeAtTheEndOfItsPeriodNotTokenByToken() {
        RateLimiter quota = new RateLimiter(new RateLimitConfig.Policy("daily", KeyKind.CONSUMER, null, 2,
                Duration.ofMinutes(1), 2, true), metrics, clock, 100);

        assertThat(quota.tryAcquire(K).isConsumed()).isTrue();
        assertThat(quota.tryAcquire(K).isConsumed()).isTrue();
        assertThat(quota.tryAcquire(K).isConsumed()).isFalse();
        clock.advance(Duration.ofSeconds(59));
        assertThat(quota.tryAcquire(K).isConsumed()).as("a greedy bucket would have refilled by now").isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(quota.tryAcquire(K).getRemainingTokens()).isEqualTo(1);
    }

    @Test
    void anIdleBucketFillsUpToItsBurstAndNoFurther() {
        RateLimiter limiter = limiter(10, Duration.ofSeconds(1), 3, 100);
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire(K);
        }

        clock.advance(Duration.ofMillis(150));
        ConsumptionProbe afterOneToken = limiter.tryAcquire(K);
        assertThat(afterOneToken.getRemainingTokens()).as("one token back per 100 ms, and taken").isZero();
        assertThat(afterOneToken.getNanosToWaitForReset()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(250));

        clock.advance(Duration.ofHours(1));
        assertThat(limiter.tryAcquire(K).getRemainingTokens()).isEqualTo(2);
    }

    @Test
    void eventLoopsTakingFromOneBucketAtOnceAdmitExactlyItsTokens() throws Exception {
        RateLimiter limiter = limiter(1, Duration.ofHours(1), 10_000, 100);
        java.util.concurrent.atomic.AtomicInteger admitted = new java.util.concurrent.atomic.AtomicInteger();
        Thread[] loops = new Thread[4];
        for (int t = 0; t < loops.length; t++) {
            loops[t] = new Thread(() -> {
                for (int i = 0; i < 5_000; i++) {
                    if (limiter.tryAcquire(K).isConsumed()) {
                        admitted.incrementAndGet();
                    }
                }
            });
            loops[t].start();
        }
        for (Thread loop : loops) {
            loop.join();
        }

        assertThat(admitted).hasValue(10_000);
    }

    @Test
    void aQuotaKeyIdleForAWholeWindowStartsAFullWindowAtItsNextRequest() {
        RateLimiter quota = new RateLimiter(new RateLimitConfig.Policy("daily", KeyKind.CONSUMER, null, 2,
                Duration.ofMinutes(1), 2, true), metrics, clock, 100);
        quota.tryAcquire(K);
        quota.tryAcquire(K);

        clock.advance(Duration.ofSeconds(150));
        ConsumptionProbe probe = quota.tryAcquire(K);
        assertThat(probe.getRemainingTokens()).isEqualTo(1);
        assertThat(probe.getNanosToWaitForReset()).as("a window of a minute from this request").isEqualTo(TimeUnit.SECONDS.toNanos(60));
        quota.tryAcquire(K);
        ConsumptionProbe refused = quota.tryAcquire(K);
        assertThat(refused.isConsumed()).isFalse();
        assertThat(refused.getNanosToWaitForRefill()).isEqualTo(TimeUnit.SECONDS.toNanos(60));
    }

    @Test
    void aHugeBurstOverALongPeriodDoesNotOverflow() {
        RateLimiter limiter = limiter(1, Duration.ofDays(365), Integer.MAX_VALUE, 100);

        ConsumptionProbe probe = limiter.tryAcquire(K);

        assertThat(probe.isConsumed()).isTrue();
        assertThat(probe.getRemainingTokens()).isPositive();
        assertThat(limiter.tryAcquire(K).isConsumed()).isTrue();
    }

    @Test
    void decisionsAreCountedPerPolicyAndOutcome() {
        RateLimiter limiter = limiter(1, Duration.ofMinutes(1), 1, 100);

        limiter.tryAcquire(K);
        limiter.tryAcquire(K);
        limiter.tryAcquire(K);

        String scrape = metrics.scrape();
        assertThat(scrape).contains("gatehouse_rate_limit_decisions_total{outcome=\"allowed\",policy=\"p\"} 1.0")
                .contains("gatehouse_rate_limit_decisions_total{outcome=\"limited\",policy=\"p\"} 2.0");
    }

    @Test
    void aMillionDistinctClientsDoNotGrowPastTheBound() {
        RateLimiter limiter = limiter(10, Duration.ofSeconds(1), 10, 10_000);

        for (int i = 0; i < 1_000_000; i++) {
            limiter.tryAcquire(new BucketKey.Ipv4(i));
        }

        assertThat(limiter.size()).isLessThanOrEqualTo(10_000);
    }
}
