package io.gatehouse.security.jwt;

/** Placeholder until the JWT module lands. */
public final class PemKeys {
    private PemKeys() {}

    public static java.security.PublicKey parsePublicKey(String pem) {
        throw new IllegalArgumentException("expected a PEM public key (BEGIN PUBLIC KEY) holding an RSA or EC key");
    }
}
