package io.gatehouse.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.config.RateLimitConfig.KeyKind;
import io.gatehouse.metrics.GatewayMetrics;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.net.InetAddress;
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
            ConsumptionProbe probe = limiter.tryAcquire("k");
            assertThat(probe.isConsumed()).isTrue();
            assertThat(probe.getRemainingTokens()).isEqualTo(i);
        }
        ConsumptionProbe refused = limiter.tryAcquire("k");
        assertThat(refused.isConsumed()).isFalse();
        assertThat(refused.getNanosToWaitForRefill()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));

        clock.advance(Duration.ofMillis(499));
        assertThat(limiter.tryAcquire("k").isConsumed()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(limiter.tryAcquire("k").isConsumed()).isTrue();
        assertThat(limiter.tryAcquire("other").getRemainingTokens()).as("keys have their own buckets").isEqualTo(3);
    }

    @Test
    void aQuotaComesBackWholeAtTheEndOfItsPeriodNotTokenByToken() {
        RateLimiter quota = new RateLimiter(new RateLimitConfig.Policy("daily", KeyKind.CONSUMER, null, 2,
                Duration.ofMinutes(1), 2, true), metrics, clock, 100);

        assertThat(quota.tryAcquire("c").isConsumed()).isTrue();
        assertThat(quota.tryAcquire("c").isConsumed()).isTrue();
        assertThat(quota.tryAcquire("c").isConsumed()).isFalse();
        clock.advance(Duration.ofSeconds(59));
        assertThat(quota.tryAcquire("c").isConsumed()).as("a greedy bucket would have refilled by now").isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(quota.tryAcquire("c").getRemainingTokens()).isEqualTo(1);
    }

    @Test
    void decisionsAreCountedPerPolicyAndOutcome() {
        RateLimiter limiter = limiter(1, Duration.ofMinutes(1), 1, 100);

        limiter.tryAcquire("k");
        limiter.tryAcquire("k");
        limiter.tryAcquire("k");

        String scrape = metrics.scrape();
        assertThat(scrape).contains("gatehouse_rate_limit_decisions_total{outcome=\"allowed\",policy=\"p\"} 1.0")
                .contains("gatehouse_rate_limit_decisions_total{outcome=\"limited\",policy=\"p\"} 2.0");
    }

    @Test
    void aMillionDistinctClientsDoNotGrowPastTheBound() {
        RateLimiter limiter = limiter(10, Duration.ofSeconds(1), 10, 10_000);

        for (int i = 0; i < 1_000_000; i++) {
            limiter.tryAcquire(i);
        }

        assertThat(limiter.size()).isLessThanOrEqualTo(10_000);
    }

    @Test
    void ipv6ClientsShareABucketPerSlash64() throws Exception {
        Object a = RouteRateLimits.clientKey(InetAddress.getByName("2001:db8:1:2::1"));
        Object b = RouteRateLimits.clientKey(InetAddress.getByName("2001:db8:1:2:ffff::9"));
        Object c = RouteRateLimits.clientKey(InetAddress.getByName("2001:db8:1:3::1"));
        Object v4 = RouteRateLimits.clientKey(InetAddress.getByName("192.0.2.1"));
        Object v4Other = RouteRateLimits.clientKey(InetAddress.getByName("192.0.2.2"));

        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(v4).isNotEqualTo(v4Other);
    }
}
