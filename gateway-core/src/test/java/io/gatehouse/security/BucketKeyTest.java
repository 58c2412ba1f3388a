package io.gatehouse.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.config.RateLimitConfig.KeyKind;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The names of rate-limit buckets: the same text in every gateway process (literal values here, so nothing
 * process-specific can hide in them), typed by kind, and local keys equal exactly when their texts are.
 */
class BucketKeyTest {
    @Test
    void everyKindHasAStableTextNamingItsKind() throws Exception {
        assertThat(BucketKey.GLOBAL.text()).isEqualTo("global");
        assertThat(BucketKey.route("users").text()).isEqualTo("route:users");
        assertThat(BucketKey.client(InetAddress.getByName("192.0.2.1")).text()).isEqualTo("ip:192.0.2.1");
        assertThat(BucketKey.client(InetAddress.getByName("255.254.0.9")).text()).isEqualTo("ip:255.254.0.9");
        assertThat(BucketKey.client(InetAddress.getByName("2001:db8:0:ab::1")).text())
                .isEqualTo("ip:2001:db8:0:ab::/64");
        assertThat(BucketKey.consumer("alice").text()).isEqualTo("consumer:alice");
        assertThat(BucketKey.headerValue("acme").text()).isEqualTo("header:acme");
    }

    @Test
    void ipv6ClientsShareABucketPerSlash64() throws Exception {
        BucketKey a = BucketKey.client(InetAddress.getByName("2001:db8:1:2::1"));
        BucketKey b = BucketKey.client(InetAddress.getByName("2001:db8:1:2:ffff::9"));
        BucketKey c = BucketKey.client(InetAddress.getByName("2001:db8:1:3::1"));

        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(a.text()).isEqualTo(b.text()).isNotEqualTo(c.text());
        assertThat(BucketKey.client(InetAddress.getByName("192.0.2.1")))
                .isNotEqualTo(BucketKey.client(InetAddress.getByName("192.0.2.2")));
    }

    @Test
    void kindsNeverShareABucket() throws Exception {
        BucketKey loopback = BucketKey.client(InetAddress.getByName("127.0.0.1"));
        BucketKey v6WithTheSameBits = BucketKey.client(InetAddress.getByName("0:0:7f00:1::1"));
        BucketKey consumer = BucketKey.consumer("2130706433");
        BucketKey header = BucketKey.headerValue("2130706433");

        assertThat(java.util.List.of(loopback, v6WithTheSameBits, consumer, header).stream().map(BucketKey::text))
                .doesNotHaveDuplicates();
        assertThat(consumer).isNotEqualTo(header);
        assertThat(BucketKey.consumer("global").text()).isNotEqualTo(BucketKey.GLOBAL.text());
        assertThat(BucketKey.headerValue("route:users")).isNotEqualTo(BucketKey.route("users"));
    }

    @Test
    void redisKeysNameThePolicyAndItsShapeSoAChangedLimitGetsNewBuckets() {
        var perIp = new RateLimitConfig.Policy("per-ip", KeyKind.CLIENT_IP, null, 100, Duration.ofSeconds(1), 200);
        var daily = new RateLimitConfig.Policy("daily", KeyKind.CONSUMER, null, 10_000, Duration.ofDays(1), 10_000,
                true);

        assertThat(RedisRateLimiter.keyPrefix(perIp)).isEqualTo("gatehouse:rl:per-ip:100-per-PT1S-burst-200:");
        assertThat(RedisRateLimiter.keyPrefix(daily)).isEqualTo("gatehouse:quota:daily:10000-per-PT24H:");
        assertThat(RedisRateLimiter.keyPrefix(new RateLimitConfig.Policy("per-ip", KeyKind.CLIENT_IP, null, 50,
                Duration.ofSeconds(1), 200))).isNotEqualTo(RedisRateLimiter.keyPrefix(perIp));
    }
}
