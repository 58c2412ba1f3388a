package io.gatehouse.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code rate_limit:}: named token-bucket policies, and the ones a route gets when it names none.
 *
 * @param defaultPolicies ids of the policies routes without their own {@code rate_limit} get
 * @param redis           where the buckets live when shared by several gateway instances; {@code null} keeps
 *                        them in this process
 */
public record RateLimitConfig(List<Policy> policies, List<String> defaultPolicies, Redis redis) {
    public static final RateLimitConfig NONE = new RateLimitConfig(List.of(), List.of(), null);

    public RateLimitConfig {
        policies = List.copyOf(policies);
        defaultPolicies = List.copyOf(defaultPolicies);
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
     */
    public record Policy(String id, KeyKind key, String header, long limit, Duration period, long burst) {
    }
}
