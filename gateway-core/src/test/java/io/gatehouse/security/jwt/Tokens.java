package io.gatehouse.security.jwt;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.function.UnaryOperator;

/** Mints test tokens: java-jwt for HS, RS and ES; PS with the JCA, since java-jwt cannot sign it. */
final class Tokens {
    static final String SUBJECT = "alice";

    private Tokens() {
    }

    /** Claims of a token that passes every default check: a subject and an expiry five minutes out. */
    static JWTCreator.Builder claims() {
        return JWT.create().withSubject(SUBJECT).withExpiresAt(Instant.now().plusSeconds(300));
    }

    /** A valid token of {@code algorithm} signed with the default test key for it. */
    static String valid(String algorithm) {
        return claims().sign(signer(algorithm, TestKeys.pairFor(algorithm)));
    }

    /** The default claims plus {@code more}, signed RS256 with {@link TestKeys#RSA}. */
    static String rs256(UnaryOperator<JWTCreator.Builder> more) {
        return more.apply(claims()).sign(signer("RS256", TestKeys.RSA));
    }

    /** A signer for {@code algorithm}: the HMAC test secret for HS*, else the private key of {@code pair}. */
    static Algorithm signer(String algorithm, KeyPair pair) {
        return switch (algorithm) {
            case "HS256" -> Algorithm.HMAC256(TestKeys.SECRET);
            case "HS384" -> Algorithm.HMAC384(TestKeys.SECRET);
            case "HS512" -> Algorithm.HMAC512(TestKeys.SECRET);
            case "RS256" -> Algorithm.RSA256((RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate());
            case "RS384" -> Algorithm.RSA384((RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate());
            case "RS512" -> Algorithm.RSA512((RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate());
            case "ES256" -> Algorithm.ECDSA256((ECPublicKey) pair.getPublic(), (ECPrivateKey) pair.getPrivate());
            case "ES384" -> Algorithm.ECDSA384((ECPublicKey) pair.getPublic(), (ECPrivateKey) pair.getPrivate());
            case "ES512" -> Algorithm.ECDSA512((ECPublicKey) pair.getPublic(), (ECPrivateKey) pair.getPrivate());
            case "PS256" -> pss(256, pair.getPrivate());
            case "PS384" -> pss(384, pair.getPrivate());
            case "PS512" -> pss(512, pair.getPrivate());
            default -> throw new IllegalArgumentException(algorithm);
        };
    }

    /** A signer that writes {@code name} as the header's alg and signs with {@code signature}. */
    static Algorithm rawSigner(String name, RawSignature signature) {
        return new Algorithm(name, "test " + name) {
            @Override
            public void verify(DecodedJWT jwt) {
                throw new UnsupportedOperationException();
            }

            @Override
            public byte[] sign(byte[] content) {
                try {
                    return signature.sign(content);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    /** Signs {@code header.payload} bytes. */
    interface RawSignature {
        byte[] sign(byte[] content) throws GeneralSecurityException;
    }

    /** RSASSA-PSS straight from the JCA: SHA-n for digest and MGF1, n/8 bytes of salt. */
    private static Algorithm pss(int bits, PrivateKey key) {
        return rawSigner("PS" + bits, content -> {
            String hash = "SHA-" + bits;
            Signature signature = Signature.getInstance("RSASSA-PSS");
            signature.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), bits / 8, 1));
            signature.initSign(key);
            signature.update(content);
            return signature.sign();
        });
    }

    /** A compact JWS from raw JSON, for headers and payloads java-jwt would not produce. */
    static String compact(String headerJson, String payloadJson, String signature) {
        return b64(headerJson) + "." + b64(payloadJson) + "." + signature;
    }

    static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code token} with its payload replaced, the signature kept. */
    static String withPayload(String token, String payloadJson) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + b64(payloadJson) + "." + parts[2];
    }
}
