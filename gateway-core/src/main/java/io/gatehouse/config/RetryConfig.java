package io.gatehouse.config;

import io.gatehouse.grpc.GrpcStatus;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * A route's {@code retry:} policy.
 *
 * @param attempts            tries in all, the first included; 1 turns retries off
 * @param on                  which failures are retried
 * @param backoffBase         the delay before the first retry; it doubles on each further retry
 * @param backoffMax          the cap of that delay
 * @param fullJitter          wait a uniformly random time between 0 and the delay (true) or the delay itself
 * @param budgetPercent       retries allowed per 100 requests of the route over the last 10 seconds
 * @param minRetriesPerSecond retries always allowed regardless of the budget, so quiet routes can still retry
 * @param methods             non-idempotent methods (POST, PATCH...) this route retries like idempotent ones
 * @param grpcStatusCodes     the statuses of a trailers-only gRPC response that are retried (a route with
 *                            {@code grpc: true} only); empty for none
 */
public record RetryConfig(int attempts, Set<Condition> on, Duration backoffBase, Duration backoffMax,
                          boolean fullJitter, int budgetPercent, int minRetriesPerSecond, Set<String> methods,
                          Set<GrpcStatus> grpcStatusCodes) {
    /** Without {@code retry:}, a failed connection (nothing reached the backend) is tried once on another one. */
    public static final RetryConfig DEFAULT = new RetryConfig(2, Set.of(Condition.CONNECT_FAILURE),
            Duration.ofMillis(25), Duration.ofMillis(250), true, 20, 3, Set.of(), Set.of());

    public RetryConfig {
        on = Set.copyOf(on);
        methods = Set.copyOf(methods);
        grpcStatusCodes = Set.copyOf(grpcStatusCodes);
    }

    /** What went wrong with an attempt; the YAML names are {@link #yamlName()}. */
    public enum Condition {
        /** No connection could be opened: nothing reached the backend. */
        CONNECT_FAILURE("connect_failure"),
        /** The connection closed or failed after the request was sent and before a response head. */
        RESET_BEFORE_RESPONSE("reset_before_response"),
        STATUS_502("502"),
        STATUS_503("503"),
        /** The backend answered 504, or sent no response head within response_timeout. */
        STATUS_504("504"),
        /**
         * A gRPC call ended, before anything else, with a status of {@code grpc_status_codes}; not written in
         * {@code on}: listing the codes turns it on.
         */
        GRPC_STATUS("grpc_status");

        private final String yamlName;

        Condition(String yamlName) {
            this.yamlName = yamlName;
        }

        public String yamlName() {
            return yamlName;
        }

        /** The condition a backend's response status is, or {@code null} when no condition covers it. */
        public static Condition ofStatus(int status) {
            return switch (status) {
                case 502 -> STATUS_502;
                case 503 -> STATUS_503;
                case 504 -> STATUS_504;
                default -> null;
            };
        }

        /** Whether the condition is one {@code on} lists. */
        public boolean isListed() {
            return this != GRPC_STATUS;
        }

        /** The condition {@code on} lists under {@code name}, or {@code null}. */
        public static Condition ofYamlName(String name) {
            for (Condition c : values()) {
                if (c.isListed() && c.yamlName.equals(name.toLowerCase(Locale.ROOT))) {
                    return c;
                }
            }
            return null;
        }
    }
}
