package io.gatehouse.security.jwt;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Base64;

/** Key pairs generated once per test JVM (RSA generation is slow) and shared by all JWT tests. */
final class TestKeys {
    static final KeyPair RSA = generate("RSA", new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4));
    static final KeyPair RSA_OTHER = generate("RSA", new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4));
    static final KeyPair EC_P256 = generate("EC", new ECGenParameterSpec("secp256r1"));
    static final KeyPair EC_P384 = generate("EC", new ECGenParameterSpec("secp384r1"));
    static final KeyPair EC_P521 = generate("EC", new ECGenParameterSpec("secp521r1"));
    static final byte[] SECRET = "a-64-byte-hmac-secret-long-enough-for-hs512-0123456789abcdefghij"
            .getBytes(StandardCharsets.UTF_8);

    private TestKeys() {
    }

    /** The key pair a token of {@code algorithm} is signed with by default. */
    static KeyPair pairFor(String algorithm) {
        return switch (algorithm) {
            case "ES256" -> EC_P256;
            case "ES384" -> EC_P384;
            case "ES512" -> EC_P521;
            default -> RSA;
        };
    }

    static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private static KeyPair generate(String algorithm, AlgorithmParameterSpec spec) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(spec);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
