package io.gatehouse.security.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWTCreator;
import io.gatehouse.testing.TestGateway;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every supported JWS algorithm through the running gateway: RSA and EC keys from a JWKS served over HTTP,
 * HMAC from the configured secret. Each token passes and its subject reaches the backend; the same token
 * with one signature byte changed is refused.
 */
class JwtAlgorithmsIntegrationTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static MockWebServer idp;
    private static MockWebServer backend;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        idp = new MockWebServer();
        idp.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json").body(Jwks.set(
                Jwks.rsa("rsa", TestKeys.RSA.getPublic()),
                Jwks.ec("p256", TestKeys.EC_P256.getPublic(), "P-256"),
                Jwks.ec("p384", TestKeys.EC_P384.getPublic(), "P-384"),
                Jwks.ec("p521", TestKeys.EC_P521.getPublic(), "P-521"))).build());
        idp.start(0);
        backend = new MockWebServer();
        backend.start(0);
        gateway = TestGateway.start("""
                auth:
                  default: [jwt]
                  jwt:
                    algorithms: [HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512]
                    jwks_url: %s
                    secret: "%s"
                    forward_claims: {sub: X-User-Id}
                routes:
                  - {id: all, match: {path_prefix: /}, upstream: "http://127.0.0.1:%d"}
                """.formatted(idp.url("/certs"), new String(TestKeys.SECRET, StandardCharsets.UTF_8),
                backend.getPort()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
        idp.close();
    }

    private static String kidFor(String algorithm) {
        return switch (algorithm) {
            case "ES256" -> "p256";
            case "ES384" -> "p384";
            case "ES512" -> "p521";
            default -> algorithm.startsWith("HS") ? null : "rsa";
        };
    }

    private static HttpResponse<String> send(String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(gateway.uri("/orders")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512"})
    void eachAlgorithmIsVerifiedEndToEnd(String algorithm) throws Exception {
        String kid = kidFor(algorithm);
        JWTCreator.Builder claims = Tokens.claims().withSubject("user-" + algorithm);
        String token = (kid == null ? claims : claims.withKeyId(kid))
                .sign(Tokens.signer(algorithm, TestKeys.pairFor(algorithm)));
        backend.enqueue(new MockResponse.Builder().body("ok").build());

        HttpResponse<String> accepted = send(token);

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        RecordedRequest upstream = backend.takeRequest(5, TimeUnit.SECONDS);
        assertThat(upstream.getHeaders().get("X-User-Id")).isEqualTo("user-" + algorithm);

        int last = token.length() - 2; // inside the signature, away from base64url padding bits
        char flipped = token.charAt(last) == 'A' ? 'B' : 'A';
        String forged = token.substring(0, last) + flipped + token.substring(last + 1);
        HttpResponse<String> refused = send(forged);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
    }
}
