package io.gatehouse.config;

import java.net.URI;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code auth.jwt}. At least one of {@code jwksUrl}, {@code publicKey} and {@code secret} is set.
 *
 * @param issuer            the required {@code iss}, or {@code null} to accept any
 * @param audiences         accepted {@code aud} values (a token passes with any one); empty accepts any
 * @param algorithms        the allow-list of JWS algorithms, e.g. RS256, ES256, HS256
 * @param jwksUrl           where the signing keys are published, or {@code null}
 * @param publicKey         an RSA or EC public key from {@code public_key_file}, or {@code null}
 * @param secret            the HMAC secret for HS* (UTF-8 bytes), or {@code null}
 * @param leeway            clock skew allowed on {@code exp}, {@code nbf} and {@code iat}
 * @param rolesClaim        dotted path to the roles in the claims (a list or a space-separated string), or {@code null}
 * @param forwardClaims     claim name to the request header it is sent upstream in, in config order
 * @param jwksRefresh       how often the JWKS is fetched again in the background
 * @param jwksMinRefresh    the least time between two fetches triggered by an unknown {@code kid}
 * @param requireExpiration reject tokens without {@code exp}
 */
public record JwtConfig(String issuer, List<String> audiences, List<String> algorithms, URI jwksUrl,
                        PublicKey publicKey, byte[] secret, Duration leeway, String rolesClaim,
                        Map<String, String> forwardClaims, Duration jwksRefresh, Duration jwksMinRefresh,
                        boolean requireExpiration) {
    public JwtConfig {
        audiences = List.copyOf(audiences);
        algorithms = List.copyOf(algorithms);
        secret = secret == null ? null : secret.clone();
        forwardClaims = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(forwardClaims));
    }

    @Override
    public byte[] secret() {
        return secret == null ? null : secret.clone();
    }

    /**
     * By content: the secret by its bytes (a record would compare the array's identity) and the forwarded claims in
     * order, so that a reload sees an unchanged {@code auth.jwt} as unchanged.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof JwtConfig other && Objects.equals(issuer, other.issuer) && audiences.equals(other.audiences)
                && algorithms.equals(other.algorithms) && Objects.equals(jwksUrl, other.jwksUrl)
                && Objects.equals(publicKey, other.publicKey) && Arrays.equals(secret, other.secret)
                && Objects.equals(leeway, other.leeway) && Objects.equals(rolesClaim, other.rolesClaim)
                && List.copyOf(forwardClaims.entrySet()).equals(List.copyOf(other.forwardClaims.entrySet())) // in order
                && Objects.equals(jwksRefresh, other.jwksRefresh)
                && Objects.equals(jwksMinRefresh, other.jwksMinRefresh) && requireExpiration == other.requireExpiration;
    }

    @Override
    public int hashCode() {
        return Objects.hash(issuer, audiences, algorithms, jwksUrl, Arrays.hashCode(secret));
    }

    @Override
    public String toString() {
        return "JwtConfig[issuer=" + issuer + ", audiences=" + audiences + ", algorithms=" + algorithms
                + ", jwksUrl=" + jwksUrl + ", publicKey=" + (publicKey != null) + ", secret=" + (secret != null)
                + "]"; // never the secret
    }
}
