package io.gatehouse.admin;

import io.gatehouse.config.AdminConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks {@code Authorization: Bearer <token>} against {@code admin.token}. Both sides are hashed first and the
 * digests compared with {@link MessageDigest#isEqual}, so the time taken tells nothing about the token, not even
 * its length. Without a header, a request passes only when {@code allow_unauthenticated_loopback} is set.
 */
final class AdminAuthenticator {
    private static final String BEARER = "bearer ";

    /** {@code null} when no token is configured. */
    private final byte[] tokenDigest;
    private final boolean allowWithoutHeader;

    AdminAuthenticator(AdminConfig config) {
        this.tokenDigest = config.token() == null ? null : sha256(config.token());
        this.allowWithoutHeader = config.allowUnauthenticatedLoopback();
    }

    /** @param authorization the {@code Authorization} header, or {@code null} */
    boolean admits(String authorization) {
        if (authorization == null) {
            return allowWithoutHeader;
        }
        if (tokenDigest == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        String token = authorization.substring(BEARER.length()).strip();
        return MessageDigest.isEqual(tokenDigest, sha256(token));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
