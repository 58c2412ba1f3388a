package io.gatehouse.security.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads a JWKS document (RFC 7517) into JCA public keys. One bad key must not cost the others, so a key the
 * gateway cannot or must not use is skipped with a warning; only a document that is not a JWKS at all fails.
 */
final class JwkParser {
    private static final Logger log = LoggerFactory.getLogger(JwkParser.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A usable signing key from the JWKS. {@code kid} and {@code alg} are {@code null} when absent. */
    record Jwk(String kid, PublicKey key, String alg) {
    }

    private JwkParser() {
    }

    /** @throws IllegalArgumentException if {@code body} is not JSON with a {@code keys} array */
    static List<Jwk> parse(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("JWKS is not valid JSON", e);
        }
        JsonNode keys = root == null ? null : root.get("keys");
        if (keys == null || !keys.isArray()) {
            throw new IllegalArgumentException("JWKS has no \"keys\" array");
        }
        List<Jwk> jwks = new ArrayList<>();
        for (JsonNode node : keys) {
            try {
                jwks.add(parseKey(node));
            } catch (IllegalArgumentException | GeneralSecurityException e) {
                log.warn("Skipping JWK {}: {}", node.path("kid").asText("without kid"), e.getMessage());
            }
        }
        return jwks;
    }

    private static Jwk parseKey(JsonNode node) throws GeneralSecurityException {
        if (!node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String use = text(node, "use");
        if (use != null && !use.equals("sig")) {
            throw new IllegalArgumentException("use is \"" + use + "\", not \"sig\"");
        }
        String kty = text(node, "kty");
        PublicKey key;
        if ("RSA".equals(kty)) {
            key = rsa(node);
        } else if ("EC".equals(kty)) {
            key = ec(node);
        } else {
            throw new IllegalArgumentException("unsupported kty " + kty);
        }
        return new Jwk(text(node, "kid"), key, text(node, "alg"));
    }

    private static PublicKey rsa(JsonNode node) throws GeneralSecurityException {
        BigInteger modulus = unsigned(node, "n");
        BigInteger exponent = unsigned(node, "e");
        if (modulus.signum() <= 0 || exponent.signum() <= 0) {
            throw new IllegalArgumentException("n and e must be positive");
        }
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent));
    }

    private static PublicKey ec(JsonNode node) throws GeneralSecurityException {
        String crv = text(node, "crv");
        EcCurve curve = EcCurve.byJwkName(crv);
        if (curve == null) {
            throw new IllegalArgumentException("unsupported crv " + crv);
        }
        byte[] x = bytes(node, "x");
        byte[] y = bytes(node, "y");
        if (x.length != curve.coordinateBytes() || y.length != curve.coordinateBytes()) {
            throw new IllegalArgumentException("x and y must be " + curve.coordinateBytes() + " bytes for " + crv);
        }
        ECPoint point = new ECPoint(new BigInteger(1, x), new BigInteger(1, y));
        if (!curve.contains(point)) {
            throw new IllegalArgumentException("the point is not on " + crv);
        }
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, curve.spec()));
    }

    private static BigInteger unsigned(JsonNode node, String member) {
        return new BigInteger(1, bytes(node, member));
    }

    private static byte[] bytes(JsonNode node, String member) {
        String value = text(node, member);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("missing " + member);
        }
        try {
            return Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(member + " is not base64url", e);
        }
    }

    /** The string member, {@code null} if absent; a member of another JSON type is a bad key. */
    private static String text(JsonNode node, String member) {
        JsonNode value = node.get(member);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(member + " is not a string");
        }
        return value.asText();
    }
}
