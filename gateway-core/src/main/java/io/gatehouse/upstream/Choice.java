package io.gatehouse.upstream;

/** The backend a pool chose for one attempt, or why it has none to offer. */
public sealed interface Choice {
    /** A place in {@code backend}'s bulkhead and {@code permit} from its breaker are held until reported back. */
    record Chosen(Backend backend, long permit) implements Choice {}

    /** @param retryAfterNanos for {@link Reason#CIRCUIT_OPEN}: until the first breaker lets probes through */
    record Unavailable(Reason reason, long retryAfterNanos) implements Choice {}

    enum Reason {
        /**
         * Every backend failed its health checks or was ejected by outlier detection (backends out only for refusing
         * connections are still tried).
         */
        NO_HEALTHY_BACKEND,
        /** Every otherwise usable backend has an open breaker (or a half-open one with no probe left). */
        CIRCUIT_OPEN,
        /** Every usable backend has max_concurrent_requests in flight. */
        BULKHEAD_FULL,
        /** The route's own breaker is open (or half-open with every probe taken). */
        ROUTE_CIRCUIT_OPEN
    }
}
