package io.gatehouse.config;

import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.RateLimitConfig.KeyKind;
import io.gatehouse.config.RateLimitConfig.Policy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitSectionTest {
    private static final String ROUTE = "routes:\n  - {id: r, match: {path_prefix: /}, upstream: \"http://127.0.0.1:9001\"%s}\n";

    private static String yaml(String section, String routeExtra) {
        return "rate_limit:\n" + section.indent(2) + ROUTE.formatted(routeExtra);
    }

    @Test
    void policiesBindWithBurstDefaultingToTheLimit() {
        GatewayConfig config = parse(yaml("""
                backend: local
                policies:
                  - {id: per-ip, key: client_ip, limit: 100, period: 1s, burst: 200}
                  - {id: tenant, key: "header:X-Tenant", limit: 5, period: 1m}
                  - {id: daily, key: consumer, limit: 10000, period: 1d}
                default: [per-ip]
                """, ", rate_limit: [tenant, daily]"));

        assertThat(config.rateLimit()).isEqualTo(new RateLimitConfig(List.of(
                new Policy("per-ip", KeyKind.CLIENT_IP, null, 100, Duration.ofSeconds(1), 200),
                new Policy("tenant", KeyKind.HEADER, "X-Tenant", 5, Duration.ofMinutes(1), 5),
                new Policy("daily", KeyKind.CONSUMER, null, 10000, Duration.ofDays(1), 10000)), List.of("per-ip"), null, List.of()));
        assertThat(config.routes().get(0).security().rateLimits()).containsExactly("tenant", "daily");
    }

    @Test
    void aBadRedisUriIsReportedWithoutItsPassword() {
        assertThat(errors(yaml("""
                backend: redis
                redis: {uri: "redis//:hunter2-password@10.0.0.9:6379"}
                policies: [{id: a, key: client_ip, limit: 1, period: 1s}]
                """, ""))).containsExactly("rate_limit.redis.uri: not a redis:// or rediss:// URI with a host; the value"
                + " is not shown, as it may hold a password (expected a Redis URI such as redis://127.0.0.1:6379)");
    }

    @Test
    void errorsNameThePathAndTheExpectation() {
        assertThat(errors(yaml("""
                backend: memcached
                policies:
                  - {id: a, key: ip, limit: 0, period: 1s}
                  - {id: b, key: "header:", limit: 1}
                  - {id: c, key: route, limit: 1, period: 1s}
                  - {id: c, key: global, limit: 1, period: 1s}
                default: [nope, c, c]
                """, ", rate_limit: [zzz]"))).containsExactly(
                "rate_limit.backend: \"memcached\" (expected local or redis)",
                "rate_limit.policies[0].key: \"ip\" (expected one of: client_ip, consumer, route, global,"
                        + " header:NAME)",
                "rate_limit.policies[0].limit: 0 (expected: at least 1)",
                "rate_limit.policies[1].key: \"header:\" (expected one of: client_ip, consumer, route, global,"
                        + " header:NAME)",
                "rate_limit.policies[1].period: missing (expected a duration such as 1s or 1m)",
                "rate_limit.policies[3].id: \"c\" (expected a unique policy id)",
                "rate_limit.default[0]: \"nope\" (expected a policy id from rate_limit.policies (one of: c))",
                "rate_limit.default[2]: \"c\" (expected each policy once)",
                "routes[0].rate_limit[0]: \"zzz\" (expected a policy id from rate_limit.policies (one of: c))");
    }

    @Test
    void quotasRefillWholeAndTakeNoBurst() {
        GatewayConfig config = parse("""
                rate_limit:
                  policies: [{id: per-ip, key: client_ip, limit: 10, period: 1s}]
                quotas:
                  - {id: daily, key: consumer, limit: 10000, period: 1d}
                routes:
                  - {id: r, match: {path_prefix: /}, upstream: "http://127.0.0.1:9001"}
                """);

        assertThat(config.rateLimit().quotas()).containsExactly(
                new Policy("daily", KeyKind.CONSUMER, null, 10000, Duration.ofDays(1), 10000, true));
        assertThat(errors("""
                rate_limit:
                  policies: [{id: per-ip, key: client_ip, limit: 10, period: 1s}]
                quotas:
                  - {id: per-ip, key: consumer, limit: 5, period: 1d}
                  - {id: burst, key: consumer, limit: 5, period: 1d, burst: 9}
                routes:
                  - {id: r, match: {path_prefix: /}, upstream: "http://127.0.0.1:9001"}
                """)).containsExactly(
                "quotas[0].id: \"per-ip\" (expected an id no rate-limit policy or other quota has)",
                "quotas[1].burst: not for quotas (expected id, key, limit, period: the whole limit comes back each"
                        + " period)");
    }
}
