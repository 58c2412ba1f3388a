package io.gatehouse.security.jwt;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.gatehouse.config.JwtConfig;
import io.gatehouse.lifecycle.StartupGate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * Checks bearer tokens (compact JWS) against the keys of {@code auth.jwt}: the HMAC secret, the configured
 * public key and the JWKS. Safe for concurrent use by the event loops: {@link #verify} reads immutable state
 * only, never does I/O and never blocks; key downloads happen in the background.
 *
 * <p>The key decides the algorithm, not the token: a token's {@code alg} is only accepted if the key chosen
 * for it may verify that algorithm, which rules out {@code none} and RSA-key-as-HMAC-secret confusion.
 */
public final class JwtAuthenticator implements AutoCloseable {
    /** Max token length accepted before any decoding. */
    public static final int MAX_TOKEN_CHARS = 8 * 1024;
    /** A token without {@code kid} is tried against at most this many keys, bounding the work it can cause. */
    private static final int MAX_KEYS_WITHOUT_KID = 3;

    private final VerifierFactory verifiers;
    private final List<VerificationKey> staticKeys;
    private final JwksCache jwks;
    private final String rolesClaim;
    private final ClaimHeaders claimHeaders;
    private final VerifiedTokens verifiedTokens;

    /**
     * @param scheduler runs background JWKS refreshes (in production the Netty event loop group; tasks
     *                  scheduled on it never block)
     * @param nanoClock the gateway's monotonic clock: paces unknown-kid refreshes and expires verified tokens
     * @throws IllegalArgumentException if the config can verify nothing: no key source, an unknown or empty
     *                                  algorithm allow-list, or a secret or public key none of whose algorithms
     *                                  is allowed
     */
    public JwtAuthenticator(JwtConfig config, ScheduledExecutorService scheduler, LongSupplier nanoClock) {
        this.verifiers = new VerifierFactory(config);
        this.staticKeys = staticKeys(config, verifiers);
        if (config.jwksUrl() == null) {
            if (staticKeys.isEmpty()) {
                throw new IllegalArgumentException("auth.jwt needs jwks_url, public_key_file or secret");
            }
            this.jwks = null;
        } else {
            this.jwks = new JwksCache(new JwksClient(config.jwksUrl()), verifiers, scheduler,
                    Objects.requireNonNull(config.jwksRefresh(), "jwksRefresh"),
                    Objects.requireNonNull(config.jwksMinRefresh(), "jwksMinRefresh"), nanoClock);
        }
        this.rolesClaim = config.rolesClaim();
        this.claimHeaders = new ClaimHeaders(config.forwardClaims());
        this.verifiedTokens = new VerifiedTokens(config.leeway(), nanoClock);
    }

    private static List<VerificationKey> staticKeys(JwtConfig config, VerifierFactory verifiers) {
        List<VerificationKey> keys = new ArrayList<>(2);
        if (config.publicKey() != null) {
            keys.add(usable(verifiers.forPublicKey(config.publicKey(), null), "public_key_file"));
        }
        byte[] secret = config.secret();
        if (secret != null) {
            keys.add(usable(verifiers.forSecret(secret), "secret"));
        }
        return List.copyOf(keys);
    }

    private static VerificationKey usable(VerificationKey key, String source) {
        if (key.verifiesNothing()) {
            throw new IllegalArgumentException("auth.jwt " + source + " can verify none of the allowed algorithms");
        }
        return key;
    }

    /**
     * Starts the first JWKS fetch (if jwks_url is set) and the periodic refresh. Returns immediately; a second
     * call (an authenticator carried over by a reload) starts nothing.
     */
    public void start() {
        if (jwks != null) {
            jwks.start();
        }
    }

    /** With {@code jwks_url}: the first JWKS fetch, which tokens signed with its keys need; else none. */
    public List<StartupGate> startupGates() {
        return jwks == null ? List.of() : List.of(jwks);
    }

    /** Verifies a compact JWS (the value after "Bearer "). Never blocks, never throws for bad input. */
    public JwtOutcome verify(String token) {
        String shapeProblem = shapeProblem(token);
        if (shapeProblem != null) {
            return new JwtOutcome.Rejected(shapeProblem);
        }
        JwtOutcome.Verified known = verifiedTokens.get(token);
        if (known != null) {
            return known;
        }
        DecodedJWT jwt;
        try {
            jwt = JWT.decode(token);
        } catch (RuntimeException e) {
            return new JwtOutcome.Rejected(Rejections.MALFORMED);
        }
        JwsAlgorithm algorithm = JwsAlgorithm.byName(jwt.getAlgorithm());
        if (algorithm == null || !verifiers.allows(algorithm)) {
            return new JwtOutcome.Rejected(Rejections.unsupportedAlgorithm(jwt.getAlgorithm()));
        }
        if (!jwt.getHeaderClaim("crit").isMissing()) {
            // RFC 7515 4.1.11: extensions listed in crit must be understood, and the gateway knows none.
            return new JwtOutcome.Rejected("unsupported critical header");
        }
        String kid = jwt.getKeyId();
        return kid != null && jwks != null ? verifyWithKid(token, jwt, algorithm, kid)
                : verifyWithoutKid(token, jwt, algorithm);
    }

    /**
     * The rejection message for a token that is not header.payload.signature in base64url, else {@code null}.
     * The signature may be empty so that an unsigned {@code alg: none} token is refused for its algorithm.
     */
    private static String shapeProblem(String token) {
        if (token == null || token.isEmpty()) {
            return "missing token";
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            return "token too long";
        }
        int firstDot = token.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
        if (firstDot <= 0 || secondDot <= firstDot + 1 || token.indexOf('.', secondDot + 1) >= 0) {
            return Rejections.MALFORMED;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            boolean base64url = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '-' || c == '_';
            if (!base64url && c != '.') {
                return Rejections.MALFORMED;
            }
        }
        return null;
    }

    private JwtOutcome verifyWithKid(String token, DecodedJWT jwt, JwsAlgorithm algorithm, String kid) {
        VerificationKey key = jwks.keys().byKid().get(kid);
        if (key == null) {
            CompletableFuture<Void> refresh = jwks.refreshForUnknownKid();
            return refresh == null ? new JwtOutcome.Rejected("unknown signing key") : new JwtOutcome.Pending(refresh);
        }
        JWTVerifier verifier = key.verifierFor(algorithm);
        if (verifier == null) {
            return new JwtOutcome.Rejected(Rejections.notAllowedForKey(algorithm));
        }
        return check(token, jwt, List.of(verifier));
    }

    /** Without a kid (or without a JWKS to look it up in), every key that may verify the algorithm is a candidate. */
    private JwtOutcome verifyWithoutKid(String token, DecodedJWT jwt, JwsAlgorithm algorithm) {
        List<JWTVerifier> candidates = new ArrayList<>(MAX_KEYS_WITHOUT_KID);
        addCandidates(candidates, staticKeys, algorithm);
        if (jwks != null) {
            addCandidates(candidates, jwks.keys().withoutKid(), algorithm);
        }
        return candidates.isEmpty() ? new JwtOutcome.Rejected(Rejections.noKeyFor(algorithm)) : check(token, jwt, candidates);
    }

    private static void addCandidates(List<JWTVerifier> candidates, List<VerificationKey> keys, JwsAlgorithm algorithm) {
        for (VerificationKey key : keys) {
            JWTVerifier verifier = key.verifierFor(algorithm);
            if (verifier != null && candidates.size() < MAX_KEYS_WITHOUT_KID) {
                candidates.add(verifier);
            }
        }
    }

    /** Tries the verifiers in turn until a signature matches; the claims are judged under that key only. */
    private JwtOutcome check(String token, DecodedJWT jwt, List<JWTVerifier> verifiers) {
        for (JWTVerifier verifier : verifiers) {
            try {
                verifier.verify(jwt);
            } catch (SignatureVerificationException wrongKey) {
                continue;
            } catch (RuntimeException e) {
                return new JwtOutcome.Rejected(Rejections.messageFor(e));
            }
            JwtOutcome.Verified verified = new JwtOutcome.Verified(jwt.getSubject(),
                    ClaimPaths.roles(jwt, rolesClaim), claimHeaders.headersFor(jwt));
            verifiedTokens.put(token, verified, jwt.getExpiresAtAsInstant());
            return verified;
        }
        return new JwtOutcome.Rejected(Rejections.BAD_SIGNATURE);
    }

    /** Stops refreshes and shuts down the JWKS client's threads. */
    @Override
    public void close() {
        if (jwks != null) {
            jwks.close();
        }
    }
}
