package io.gatehouse.admin;

import io.gatehouse.config.AdminConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.Supplier;

/**
 * Checks {@code Authorization: Bearer <token>} against the {@code admin.token} in force, so a reload rotates it.
 * Both sides are hashed first and the digests compared with {@link MessageDigest#isEqual}, so the time taken tells
 * nothing about the token, not even its length. Without a header, a request passes only when
 * {@code allow_unauthenticated_loopback} is set.
 */
final class AdminAuthenticator {
    private static final String BEARER = "bearer ";

    private final Supplier<AdminConfig> config;
    /** The digest of the token of the config last seen; replaced when a reload brings another config. */
    private volatile Expected expected;

    /** @param tokenDigest {@code null} when no token is configured */
    private record Expected(AdminConfig config, byte[] tokenDigest) {}

    /** @param config the admin section in force, never null while the admin API runs */
    AdminAuthenticator(Supplier<AdminConfig> config) {
        this.config = config;
    }

    /** @param authorization the {@code Authorization} header, or {@code null} */
    boolean admits(String authorization) {
        Expected now = expected();
        if (authorization == null) {
            return now.config().allowUnauthenticatedLoopback();
        }
        if (now.tokenDigest() == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        String token = authorization.substring(BEARER.length()).strip();
        return MessageDigest.isEqual(now.tokenDigest(), sha256(token));
    }

    private Expected expected() {
        AdminConfig current = config.get();
        Expected seen = expected;
        if (seen == null || seen.config() != current) {
            seen = new Expected(current, current.token() == null ? null : sha256(current.token()));
            expected = seen;
        }
        return seen;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
