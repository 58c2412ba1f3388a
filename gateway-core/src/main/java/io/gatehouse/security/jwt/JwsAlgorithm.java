package io.gatehouse.security.jwt;

import com.auth0.jwt.algorithms.Algorithm;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.EnumSet;
import java.util.Set;

/**
 * The JWS algorithms the gateway verifies and the kind of key each needs. Which algorithms a key may verify is
 * derived from the key itself (see {@link #forPublicKey}), never from a token's header: that is what defeats
 * {@code alg} confusion.
 */
enum JwsAlgorithm {
    HS256(KeyType.SECRET, 256), HS384(KeyType.SECRET, 384), HS512(KeyType.SECRET, 512),
    RS256(KeyType.RSA, 256), RS384(KeyType.RSA, 384), RS512(KeyType.RSA, 512),
    PS256(KeyType.RSA, 256), PS384(KeyType.RSA, 384), PS512(KeyType.RSA, 512),
    ES256(KeyType.EC, 256), ES384(KeyType.EC, 384), ES512(KeyType.EC, 512);

    /** The kind of key material an algorithm verifies with. */
    enum KeyType { SECRET, RSA, EC }

    private final KeyType keyType;
    private final int bits;

    JwsAlgorithm(KeyType keyType, int bits) {
        this.keyType = keyType;
        this.bits = bits;
    }

    /** The algorithm with exactly this name (JWS names are case-sensitive), or {@code null}. */
    static JwsAlgorithm byName(String name) {
        for (JwsAlgorithm algorithm : values()) {
            if (algorithm.name().equals(name)) {
                return algorithm;
            }
        }
        return null;
    }

    /** HS256, HS384 and HS512: what an HMAC secret may verify. */
    static Set<JwsAlgorithm> forSecret() {
        return ofType(KeyType.SECRET);
    }

    /** RS* and PS* for an RSA key; for an EC key only the ES algorithm of its curve; nothing for other keys. */
    static Set<JwsAlgorithm> forPublicKey(PublicKey key) {
        if (key instanceof RSAPublicKey) {
            return ofType(KeyType.RSA);
        }
        if (key instanceof ECPublicKey ec) {
            EcCurve curve = EcCurve.of(ec.getParams());
            return curve == null ? EnumSet.noneOf(JwsAlgorithm.class) : EnumSet.of(curve.algorithm());
        }
        return EnumSet.noneOf(JwsAlgorithm.class);
    }

    private static Set<JwsAlgorithm> ofType(KeyType type) {
        Set<JwsAlgorithm> algorithms = EnumSet.noneOf(JwsAlgorithm.class);
        for (JwsAlgorithm algorithm : values()) {
            if (algorithm.keyType == type) {
                algorithms.add(algorithm);
            }
        }
        return algorithms;
    }

    /**
     * The java-jwt verifier for this algorithm.
     *
     * @param key a {@code byte[]} secret for HS*, an {@link RSAPublicKey} for RS* and PS*, an {@link ECPublicKey} on
     *            the matching curve for ES*; callers pick algorithms with {@link #forSecret} or {@link #forPublicKey}
     */
    Algorithm verifierFor(Object key) {
        return switch (this) {
            case HS256 -> Algorithm.HMAC256((byte[]) key);
            case HS384 -> Algorithm.HMAC384((byte[]) key);
            case HS512 -> Algorithm.HMAC512((byte[]) key);
            case RS256 -> Algorithm.RSA256((RSAPublicKey) key);
            case RS384 -> Algorithm.RSA384((RSAPublicKey) key);
            case RS512 -> Algorithm.RSA512((RSAPublicKey) key);
            case PS256, PS384, PS512 -> new PssAlgorithm(name(), bits, (RSAPublicKey) key);
            case ES256 -> Algorithm.ECDSA256((ECPublicKey) key);
            case ES384 -> Algorithm.ECDSA384((ECPublicKey) key);
            case ES512 -> Algorithm.ECDSA512((ECPublicKey) key);
        };
    }
}
