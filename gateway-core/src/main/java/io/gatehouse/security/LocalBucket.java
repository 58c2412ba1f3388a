package io.gatehouse.security;

import io.github.bucket4j.ConsumptionProbe;

/**
 * One key's bucket of a local rate-limit policy: a few bytes of state, and a reference to the policy's shape,
 * which every bucket of the policy shares. A policy holds up to 100,000 of them, so each is kept small.
 */
abstract sealed class LocalBucket permits ContinuousBucket, WindowBucket {
    /** Takes one token if there is one at {@code now} (nanoseconds of the buckets' clock). */
    abstract ConsumptionProbe tryConsume(long now);

    /** {@code a * b}, or {@code cap} when that would be larger. */
    static long saturatedProduct(long a, long b, long cap) {
        return a > cap / b ? cap : Math.min(cap, a * b);
    }
}
