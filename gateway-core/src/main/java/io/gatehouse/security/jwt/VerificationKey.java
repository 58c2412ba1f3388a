package io.gatehouse.security.jwt;

import com.auth0.jwt.JWTVerifier;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One trusted key (the HMAC secret, the configured public key or a published JWK) with a ready verifier for
 * each algorithm it may check, built once when the key loads so that a request only looks one up.
 */
final class VerificationKey {
    private final Map<JwsAlgorithm, JWTVerifier> verifiers;

    VerificationKey(EnumMap<JwsAlgorithm, JWTVerifier> verifiers) {
        this.verifiers = Collections.unmodifiableMap(new EnumMap<>(verifiers));
    }

    /** The verifier for {@code algorithm}, or {@code null} if this key must not verify it. */
    JWTVerifier verifierFor(JwsAlgorithm algorithm) {
        return verifiers.get(algorithm);
    }

    /** True when the allow-list leaves this key no algorithm at all. */
    boolean verifiesNothing() {
        return verifiers.isEmpty();
    }
}
