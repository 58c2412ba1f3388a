package io.gatehouse.security.jwt;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;

/** JWKS documents for tests, written as JSON text so that tests can also break them on purpose. */
final class Jwks {
    private Jwks() {
    }

    static String set(String... keys) {
        return "{\"keys\":[" + String.join(",", keys) + "]}";
    }

    /** An RSA signing key; {@code kid} and {@code alg} are left out when {@code null}. */
    static String rsa(String kid, PublicKey key, String alg) {
        RSAPublicKey rsa = (RSAPublicKey) key;
        return "{\"kty\":\"RSA\",\"use\":\"sig\"" + member("kid", kid) + member("alg", alg)
                + member("n", unsigned(rsa.getModulus(), 0)) + member("e", unsigned(rsa.getPublicExponent(), 0)) + "}";
    }

    static String rsa(String kid, PublicKey key) {
        return rsa(kid, key, null);
    }

    /** An EC signing key on {@code crv} (P-256, P-384 or P-521) with coordinates of the length RFC 7518 wants. */
    static String ec(String kid, PublicKey key, String crv) {
        ECPublicKey ec = (ECPublicKey) key;
        int length = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
        return "{\"kty\":\"EC\",\"crv\":\"" + crv + "\"" + member("kid", kid)
                + member("x", unsigned(ec.getW().getAffineX(), length))
                + member("y", unsigned(ec.getW().getAffineY(), length)) + "}";
    }

    /** Big-endian unsigned base64url, left-padded with zeros to {@code length} bytes when that is not 0. */
    static String unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        if (length > bytes.length) {
            byte[] padded = new byte[length];
            System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
            bytes = padded;
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String member(String name, String value) {
        return value == null ? "" : ",\"" + name + "\":\"" + value + "\"";
    }
}
