package io.gatehouse.security.jwt;

import io.gatehouse.config.JwtConfig;

import java.net.URI;
import java.security.PublicKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link JwtConfig} with test defaults: every algorithm allowed, no claim requirements, no keys. */
final class JwtConfigBuilder {
    static final List<String> ALL_ALGORITHMS = List.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512",
            "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");

    private String issuer;
    private List<String> audiences = List.of();
    private List<String> algorithms = ALL_ALGORITHMS;
    private URI jwksUrl;
    private PublicKey publicKey;
    private byte[] secret;
    private Duration leeway = Duration.ZERO;
    private String rolesClaim;
    private final Map<String, String> forwardClaims = new LinkedHashMap<>();
    private Duration jwksRefresh = Duration.ofMinutes(10);
    private Duration jwksMinRefresh = Duration.ofSeconds(30);
    private boolean requireExpiration;

    static JwtConfigBuilder jwt() {
        return new JwtConfigBuilder();
    }

    JwtConfigBuilder issuer(String value) {
        issuer = value;
        return this;
    }

    JwtConfigBuilder audiences(String... values) {
        audiences = List.of(values);
        return this;
    }

    JwtConfigBuilder algorithms(String... values) {
        algorithms = List.of(values);
        return this;
    }

    JwtConfigBuilder jwksUrl(URI value) {
        jwksUrl = value;
        return this;
    }

    JwtConfigBuilder publicKey(PublicKey value) {
        publicKey = value;
        return this;
    }

    JwtConfigBuilder secret(byte[] value) {
        secret = value;
        return this;
    }

    JwtConfigBuilder leeway(Duration value) {
        leeway = value;
        return this;
    }

    JwtConfigBuilder rolesClaim(String value) {
        rolesClaim = value;
        return this;
    }

    JwtConfigBuilder forward(String claim, String header) {
        forwardClaims.put(claim, header);
        return this;
    }

    JwtConfigBuilder jwksRefresh(Duration value) {
        jwksRefresh = value;
        return this;
    }

    JwtConfigBuilder jwksMinRefresh(Duration value) {
        jwksMinRefresh = value;
        return this;
    }

    JwtConfigBuilder requireExpiration() {
        requireExpiration = true;
        return this;
    }

    JwtConfig build() {
        return new JwtConfig(issuer, audiences, algorithms, jwksUrl, publicKey, secret, leeway, rolesClaim,
                forwardClaims, jwksRefresh, jwksMinRefresh, requireExpiration);
    }
}
