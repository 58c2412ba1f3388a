package io.gatehouse.config;

import io.gatehouse.security.jwt.PemKeys;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Binds {@code auth.jwt}: where the keys come from, the algorithm allow-list and the claim rules. */
final class JwtSection {
    private static final List<String> KEYS = List.of("issuer", "audience", "algorithms", "jwks_url",
            "public_key_file", "secret", "leeway", "roles_claim", "forward_claims", "jwks_refresh",
            "jwks_min_refresh", "require_exp");
    static final List<String> ALGORITHMS = List.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512",
            "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");
    private static final String KEY_SOURCE = "expected at least one of: jwks_url, public_key_file, secret";
    private static final String FORWARD_EXPECTED = "expected a header name such as X-User-Id";
    private static final String URL_EXPECTED = "expected an http or https URL";

    private JwtSection() {}

    /** Null when absent. */
    static JwtConfig bind(Node jwt) {
        if (!jwt.expectMap(KEYS)) {
            return null;
        }
        URI jwksUrl = jwt.get("jwks_url").parse(JwtSection::url, URL_EXPECTED);
        PublicKey publicKey = publicKey(jwt.get("public_key_file"));
        byte[] secret = secret(jwt.get("secret"));
        // Whether a source is set, not whether it was valid: a bad one has its own error already.
        boolean publicKeysSet = jwt.get("jwks_url").isPresent() || jwt.get("public_key_file").isPresent();
        boolean secretSet = jwt.get("secret").isPresent();
        if (!publicKeysSet && !secretSet) {
            jwt.error("no signing key (" + KEY_SOURCE + ")");
        }
        List<String> algorithms = algorithms(jwt.get("algorithms"), publicKeysSet, secretSet, secret);
        return new JwtConfig(jwt.get("issuer").string(), audiences(jwt.get("audience")), algorithms, jwksUrl, publicKey,
                secret, jwt.get("leeway").duration(Duration.ofSeconds(30), true),
                jwt.get("roles_claim").string(), forwardClaims(jwt.get("forward_claims")),
                jwt.get("jwks_refresh").duration(Duration.ofMinutes(5), false),
                jwt.get("jwks_min_refresh").duration(Duration.ofSeconds(30), true),
                jwt.get("require_exp").bool(true));
    }

    private static URI url(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(URL_EXPECTED);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException(URL_EXPECTED);
        }
        return uri;
    }

    private static PublicKey publicKey(Node file) {
        String path = file.string();
        if (path == null) {
            return null;
        }
        try {
            return PemKeys.parsePublicKey(Files.readString(Path.of(path), StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            file.invalid("expected a readable PEM file: no such file");
        } catch (AccessDeniedException e) {
            file.invalid("expected a readable PEM file: permission denied");
        } catch (CharacterCodingException e) {
            file.invalid("expected a PEM file (text), not binary data");
        } catch (IOException | java.nio.file.InvalidPathException e) {
            file.invalid("expected a readable PEM file: " + e.getClass().getSimpleName());
        } catch (IllegalArgumentException e) {
            file.invalid(e.getMessage());
        }
        return null;
    }

    private static byte[] secret(Node node) {
        String secret = node.string();
        if (secret == null) {
            return null;
        }
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            // RFC 7518 §3.2: an HMAC key at least as long as the hash; never echo the secret itself.
            node.error("too short (expected at least 32 bytes for HS256, 48 for HS384, 64 for HS512)");
            return null;
        }
        return bytes;
    }

    /** @param secret null when absent or already reported as bad */
    private static List<String> algorithms(Node node, boolean publicKeys, boolean secretSet, byte[] secret) {
        if (!node.isPresent()) {
            List<String> defaults = new ArrayList<>();
            if (secret != null) {
                defaults.add("HS256");
            }
            if (publicKeys) {
                defaults.add("RS256");
            }
            return defaults;
        }
        String expected = "expected a list of: " + String.join(", ", ALGORITHMS);
        List<String> algorithms = new ArrayList<>();
        for (Node element : node.elements(expected)) {
            String name = element.item(expected);
            if (name == null) {
                continue;
            }
            if (!ALGORITHMS.contains(name)) {
                element.invalid(expected + " (\"none\" is never accepted)");
            } else if (algorithms.contains(name)) {
                element.invalid("expected each algorithm once");
            } else if (name.startsWith("HS") && !secretSet) {
                element.invalid("expected a secret for HMAC algorithms: set auth.jwt.secret");
            } else if (name.startsWith("HS") && secret == null) {
                continue; // the secret's own error says what is wrong
            } else if (name.startsWith("HS") && secret.length < Integer.parseInt(name.substring(2)) / 8) {
                element.invalid("expected a secret of at least " + Integer.parseInt(name.substring(2)) / 8
                        + " bytes for " + name);
            } else if (!name.startsWith("HS") && !publicKeys) {
                element.invalid("expected jwks_url or public_key_file for " + name);
            } else {
                algorithms.add(name);
            }
        }
        if (node.isList() && algorithms.isEmpty() && node.elements(expected).isEmpty()) {
            node.error("empty list (" + expected + ")");
        }
        return algorithms;
    }

    private static List<String> audiences(Node node) {
        if (node.isList()) {
            return node.strings("expected a string or a list of strings");
        }
        String audience = node.string();
        return audience == null ? List.of() : List.of(audience);
    }

    private static Map<String, String> forwardClaims(Node node) {
        Map<String, String> claims = new LinkedHashMap<>();
        node.entries("expected a map of claim name to request header, such as {sub: X-User-Id}")
                .forEach((claim, header) -> {
                    String name = header.item(FORWARD_EXPECTED);
                    if (name != null && !HttpTokens.isToken(name)) {
                        header.invalid(FORWARD_EXPECTED);
                    } else if (name != null && claims.values().stream().anyMatch(name::equalsIgnoreCase)) {
                        header.invalid("expected a header no other claim is sent in");
                    } else if (name != null) {
                        claims.put(claim, name);
                    }
                });
        return claims;
    }
}
