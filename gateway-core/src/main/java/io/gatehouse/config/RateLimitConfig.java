package io.gatehouse.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code rate_limit:}: named token-bucket policies, and the ones a route gets when it names none.
 *
 * @param defaultPolicies ids of the policies routes without their own {@code rate_limit} get
 * @param redis           where the buckets live when shared by several gateway instances; {@code null} keeps
 *                        them in this process
 * @param quotas          {@code quotas:}, long-window limits that apply to every route
 */
public record RateLimitConfig(List<Policy> policies, List<String> defaultPolicies, Redis redis, List<Policy> quotas) {
    public static final RateLimitConfig NONE = new RateLimitConfig(List.of(), List.of(), null, List.of());

    public RateLimitConfig {
        policies = List.copyOf(policies);
        defaultPolicies = List.copyOf(defaultPolicies);
        quotas = List.copyOf(quotas);
    }

    /** With quotas added. */
    public RateLimitConfig withQuotas(List<Policy> quotas) {
        return new RateLimitConfig(policies, defaultPolicies, redis, quotas);
    }

    /**
     * {@code rate_limit.redis}.
     *
     * @param timeout      how long a check may wait for Redis before {@code on_error} applies
     * @param allowOnError {@code on_error: allow} admits requests while Redis is unreachable; deny refuses them
     */
    public record Redis(java.net.URI uri, java.time.Duration timeout, boolean allowOnError) {
    }

    /** What a bucket is kept per. */
    public enum KeyKind {
        /** The real client address; IPv6 clients by their /64. Checked before authentication. */
        CLIENT_IP("client_ip"),
        /** The API key's consumer or the token's subject (the client address when anonymous). After auth. */
        CONSUMER("consumer"),
        /** One bucket per route using the policy. */
        ROUTE("route"),
        /** The value of a request header ({@code header:X-Tenant}); requests without it share one bucket. */
        HEADER("header:"),
        /** One bucket for everything under the policy. */
        GLOBAL("global");

        private final String configName;

        KeyKind(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }

    /**
     * One policy: {@code limit} tokens per {@code period}, at most {@code burst} at once.
     *
     * @param header the header name for {@link KeyKind#HEADER}, else {@code null}
     * @param quota  a quota: the whole {@code limit} comes back at once each {@code period} (a fixed window, as
     *               "10,000 a day" is meant), instead of token by token
     */
    public record Policy(String id, KeyKind key, String header, long limit, Duration period, long burst,
                         boolean quota) {
        /** A rate-limit policy (refilled token by token). */
        public Policy(String id, KeyKind key, String header, long limit, Duration period, long burst) {
            this(id, key, header, limit, period, burst, false);
        }
    }
}
