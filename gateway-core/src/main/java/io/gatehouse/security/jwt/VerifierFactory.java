package io.gatehouse.security.jwt;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.Verification;
import io.gatehouse.config.JwtConfig;

import java.security.PublicKey;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns keys into {@link VerificationKey}s: applies the algorithm allow-list and configures the claim checks
 * ({@code iss}, {@code aud}, {@code exp}/{@code nbf}/{@code iat} with leeway) into every verifier.
 */
final class VerifierFactory {
    private final Set<JwsAlgorithm> allowed = EnumSet.noneOf(JwsAlgorithm.class);
    private final String issuer;
    private final String[] audiences;
    private final long leewaySeconds;
    private final boolean requireExpiration;

    /** @throws IllegalArgumentException if the allow-list is empty or names an algorithm the gateway lacks */
    VerifierFactory(JwtConfig config) {
        for (String name : config.algorithms()) {
            JwsAlgorithm algorithm = JwsAlgorithm.byName(name);
            if (algorithm == null) {
                throw new IllegalArgumentException("unsupported JWS algorithm \"" + name + "\" (supported: "
                        + List.of(JwsAlgorithm.values()) + ")");
            }
            allowed.add(algorithm);
        }
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException("no JWS algorithm is allowed");
        }
        this.issuer = config.issuer();
        this.audiences = config.audiences().toArray(String[]::new);
        this.leewaySeconds = Objects.requireNonNull(config.leeway(), "leeway").toSeconds();
        this.requireExpiration = config.requireExpiration();
    }

    /** Whether {@code algorithm} is on the allow-list. */
    boolean allows(JwsAlgorithm algorithm) {
        return allowed.contains(algorithm);
    }

    /** The HMAC secret, for the allowed HS* algorithms. */
    VerificationKey forSecret(byte[] secret) {
        return build(secret, JwsAlgorithm.forSecret());
    }

    /**
     * A public key, for the allowed algorithms of its family.
     *
     * @param declaredAlg the JWK's {@code alg}, or {@code null}; when set the key verifies only that algorithm,
     *                    and nothing if it does not fit the key or is not allowed
     */
    VerificationKey forPublicKey(PublicKey key, String declaredAlg) {
        Set<JwsAlgorithm> candidates = JwsAlgorithm.forPublicKey(key);
        if (declaredAlg != null) {
            JwsAlgorithm declared = JwsAlgorithm.byName(declaredAlg);
            candidates = declared != null && candidates.contains(declared)
                    ? EnumSet.of(declared) : EnumSet.noneOf(JwsAlgorithm.class);
        }
        return build(key, candidates);
    }

    private VerificationKey build(Object key, Set<JwsAlgorithm> candidates) {
        EnumMap<JwsAlgorithm, JWTVerifier> verifiers = new EnumMap<>(JwsAlgorithm.class);
        for (JwsAlgorithm algorithm : candidates) {
            if (allowed.contains(algorithm)) {
                verifiers.put(algorithm, verifier(algorithm.verifierFor(key)));
            }
        }
        return new VerificationKey(verifiers);
    }

    private JWTVerifier verifier(Algorithm algorithm) {
        Verification verification = JWT.require(algorithm).acceptLeeway(leewaySeconds);
        if (issuer != null) {
            verification.withIssuer(issuer);
        }
        if (audiences.length > 0) {
            verification.withAnyOfAudience(audiences);
        }
        if (requireExpiration) {
            verification.withClaimPresence("exp");
        }
        return verification.build();
    }
}
