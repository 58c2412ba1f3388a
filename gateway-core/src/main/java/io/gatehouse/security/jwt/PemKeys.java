package io.gatehouse.security.jwt;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Reads the {@code public_key_file} of {@code auth.jwt}. */
public final class PemKeys {
    private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String END = "-----END PUBLIC KEY-----";
    private static final String EXPECTED = "expected a PEM public key (BEGIN PUBLIC KEY) holding an RSA or EC key";

    private PemKeys() {
    }

    /**
     * Parses an X.509 SubjectPublicKeyInfo PEM block holding an RSA key or an EC key on P-256, P-384 or P-521.
     *
     * @throws IllegalArgumentException for anything else (a certificate, a private key, PKCS#1 "RSA PUBLIC KEY",
     *                                  another curve, broken base64)
     */
    public static PublicKey parsePublicKey(String pem) {
        byte[] der = der(pem);
        for (String algorithm : new String[] {"RSA", "EC"}) {
            PublicKey key;
            try {
                key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisKind) {
                continue;
            }
            if (key instanceof ECPublicKey ec && EcCurve.of(ec.getParams()) == null) {
                throw new IllegalArgumentException("the EC public key is on an unsupported curve (use P-256, P-384 or P-521)");
            }
            return key;
        }
        throw new IllegalArgumentException(EXPECTED);
    }

    private static byte[] der(String pem) {
        if (pem == null) {
            throw new IllegalArgumentException(EXPECTED);
        }
        int begin = pem.indexOf(BEGIN);
        int end = pem.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(EXPECTED);
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(EXPECTED + ": " + e.getMessage(), e);
        }
    }
}
