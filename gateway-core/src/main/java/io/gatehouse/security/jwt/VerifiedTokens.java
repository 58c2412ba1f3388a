package io.gatehouse.security.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Tokens already verified, so a client that sends the same token on every request pays for decoding and the
 * signature check once. Only verified tokens are kept, so a flood of bad tokens cannot fill it, and the size is
 * bounded (Caffeine's W-TinyLFU keeps the tokens in use). An entry lives until its token expires (plus leeway)
 * or {@link #MAX_TTL}, whichever is first: a key withdrawn from the JWKS stops being honoured within that time.
 */
final class VerifiedTokens {
    static final Duration MAX_TTL = Duration.ofSeconds(60);
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(JwtOutcome.Verified verified, Duration ttl) {}

    private final Cache<String, Entry> cache;
    private final Duration leeway;

    /**
     * @param nanoClock measures how long an entry has lived; the token's own {@code exp} is compared with the wall
     *                  clock, as the issuer's clock is a wall clock
     */
    VerifiedTokens(Duration leeway, LongSupplier nanoClock) {
        this.leeway = leeway;
        this.cache = Caffeine.newBuilder()
                .maximumSize(MAX_ENTRIES)
                .expireAfter(Expiry.creating((String token, Entry entry) -> entry.ttl()))
                .ticker(nanoClock::getAsLong)
                .executor(Runnable::run) // maintenance on the caller, in small steps: no hop to a shared pool
                .build();
    }

    /** The outcome of an earlier verification of this exact token, or null. */
    JwtOutcome.Verified get(String token) {
        Entry entry = cache.getIfPresent(token);
        return entry == null ? null : entry.verified();
    }

    /** @param expiresAt the token's {@code exp}, or null when it has none */
    void put(String token, JwtOutcome.Verified verified, Instant expiresAt) {
        Duration ttl = MAX_TTL;
        if (expiresAt != null) {
            Duration untilExpiry = Duration.between(Instant.now(), expiresAt.plus(leeway));
            if (untilExpiry.compareTo(ttl) < 0) {
                ttl = untilExpiry;
            }
        }
        if (!ttl.isNegative() && !ttl.isZero()) {
            cache.put(token, new Entry(verified, ttl));
        }
    }
}
