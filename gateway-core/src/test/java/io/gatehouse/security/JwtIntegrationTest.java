package io.gatehouse.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.Reply;
import io.gatehouse.testing.TestGateway;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JWT through the running gateway: signing keys from a JWKS served by a real HTTP server, tokens minted here.
 * The per-algorithm and per-claim rules are covered in depth by the {@code security.jwt} tests; this checks that
 * the gateway answers as a client and a backend see it.
 */
class JwtIntegrationTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String ISSUER = "https://idp.example.com/realms/demo";
    private static final String SECRET = "an-hmac-secret-of-at-least-32-bytes!!";
    private static KeyPair rsa1;
    private static KeyPair rsa2;
    private static KeyPair ec;

    private MockWebServer idp;
    private MockWebServer backend;
    private TestGateway gateway;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        rsa1 = rsa.generateKeyPair();
        rsa2 = rsa.generateKeyPair();
        KeyPairGenerator ecGen = KeyPairGenerator.getInstance("EC");
        ecGen.initialize(new ECGenParameterSpec("secp256r1"));
        ec = ecGen.generateKeyPair();
    }

    @BeforeEach
    void start() throws Exception {
        idp = new MockWebServer();
        idp.start(0);
        backend = new MockWebServer();
        backend.start(0);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        backend.close();
        idp.close();
    }

    private void startGateway(String jwks) {
        idp.enqueue(jwksResponse(jwks));
        gateway = TestGateway.start(config());
    }

    private String config() {
        return """
                auth:
                  default: [jwt]
                  jwt:
                    issuer: %s
                    audience: gatehouse
                    algorithms: [RS256, ES256, HS256]
                    jwks_url: %s
                    secret: "%s"
                    roles_claim: realm_access.roles
                    forward_claims: {sub: X-User-Id, email: X-User-Email}
                    jwks_min_refresh: 0s
                routes:
                  - {id: admin, match: {path_prefix: /admin}, upstream: "http://127.0.0.1:%d", roles: [admin]}
                  - {id: api, match: {path_prefix: /}, upstream: "http://127.0.0.1:%d"}
                """.formatted(ISSUER, idp.url("/certs"), SECRET, backend.getPort(), backend.getPort());
    }

    @Test
    void readyzWaitsForTheFirstJwksFetch() throws Exception {
        CountDownLatch idpAnswers = new CountDownLatch(1);
        idp.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                idpAnswers.await(10, TimeUnit.SECONDS); // the MockWebServer's thread, never the gateway's
                return jwksResponse(jwks(rsaJwk("k1", rsa1)));
            }
        });
        gateway = TestGateway.start(config());

        HttpResponse<String> starting = gateway.get("/readyz");
        assertThat(starting.statusCode()).isEqualTo(503);
        assertThat(starting.body()).isEqualTo("{\"status\":\"starting\",\"waiting_for\":[\"jwks\"]}\n");

        idpAnswers.countDown();

        await("ready").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> gateway.get("/readyz").statusCode() == 200);
        backend.enqueue(new MockResponse.Builder().body("ok").build());
        Algorithm k1 = Algorithm.RSA256((RSAPublicKey) rsa1.getPublic(), (RSAPrivateKey) rsa1.getPrivate());
        assertThat(send("/orders", claims("k1").sign(k1), Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void validTokensOfEachKeyTypePassAndTheirClaimsReachTheBackend() throws Exception {
        startGateway(jwks(rsaJwk("k1", rsa1), ecJwk("e1", ec)));
        List<String> tokens = List.of(
                claims("k1").sign(Algorithm.RSA256((RSAPublicKey) rsa1.getPublic(), (RSAPrivateKey) rsa1.getPrivate())),
                claims("e1").sign(Algorithm.ECDSA256((ECPublicKey) ec.getPublic(), (ECPrivateKey) ec.getPrivate())),
                claims(null).sign(Algorithm.HMAC256(SECRET.getBytes(StandardCharsets.UTF_8))));
        for (String token : tokens) {
            backend.enqueue(new MockResponse.Builder().body("ok").build());
            HttpResponse<String> response = send("/orders", token, Map.of("X-User-Id", "spoofed"));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            RecordedRequest upstream = backend.takeRequest(2, TimeUnit.SECONDS);
            assertThat(upstream.getHeaders().values("X-User-Id")).containsExactly("user-42");
            assertThat(upstream.getHeaders().get("X-User-Email")).isEqualTo("user42@example.com");
            assertThat(upstream.getHeaders().get("Authorization")).isEqualTo("Bearer " + token);
        }
    }

    @Test
    void aClaimOutsideAsciiReachesTheBackendAsTheTokensUtf8Bytes() throws Exception {
        startGateway(jwks(rsaJwk("k1", rsa1)));
        String email = "jos\u00E9@\u4F8B\u3048.jp"; // josé@例え.jp
        String token = claims(null).withClaim("email", email).sign(Algorithm.HMAC256(SECRET.getBytes(StandardCharsets.UTF_8)));
        backend.enqueue(new MockResponse.Builder().body("ok").build());

        assertThat(send("/orders", token, Map.of()).statusCode()).isEqualTo(200);

        RecordedRequest upstream = backend.takeRequest(2, TimeUnit.SECONDS);
        // The mock backend reads header lines as UTF-8: only the token's own bytes decode back to the claim.
        assertThat(upstream.getHeaders().get("X-User-Email")).isEqualTo(email);
    }

    @Test
    void forgedTokensAre401WithBearerChallengeAndNeverReachTheBackend() throws Exception {
        startGateway(jwks(rsaJwk("k1", rsa1)));
        Algorithm rs256 = Algorithm.RSA256((RSAPublicKey) rsa1.getPublic(), (RSAPrivateKey) rsa1.getPrivate());
        String none = unsigned("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"k1\"}");
        // The classic confusion: an HS256 token whose HMAC key is the RSA public key the gateway trusts.
        String confused = claims("k1").sign(Algorithm.HMAC256(rsa1.getPublic().getEncoded()));
        String expired = claims("k1").withExpiresAt(Instant.now().minusSeconds(3600)).sign(rs256);
        String notYet = claims("k1").withNotBefore(Instant.now().plusSeconds(3600)).sign(rs256);
        String wrongIssuer = claims("k1").withIssuer("https://evil.example.com").sign(rs256);
        String wrongAudience = claims("k1").withAudience("someone-else").sign(rs256);
        String oversized = claims("k1").withClaim("pad", "x".repeat(9000)).sign(rs256);
        for (String token : List.of(none, confused, expired, notYet, wrongIssuer, wrongAudience, oversized,
                "not.a.token")) {
            HttpResponse<String> response = send("/orders", token, Map.of());

            assertThat(response.statusCode()).as(token.substring(0, Math.min(40, token.length()))).isEqualTo(401);
            assertThat(response.body()).contains("\"error\":\"unauthorized\"", "invalid token");
            assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .startsWith("Bearer realm=\"gatehouse\", error=\"invalid_token\"");
        }
        assertThat(send("/orders", null, Map.of()).statusCode()).isEqualTo(401);
        assertThat(backend.takeRequest(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aTokenWithoutTheRoleIs403InsufficientScope() throws Exception {
        startGateway(jwks(rsaJwk("k1", rsa1)));
        Algorithm rs256 = Algorithm.RSA256((RSAPublicKey) rsa1.getPublic(), (RSAPrivateKey) rsa1.getPrivate());
        String reader = claims("k1").withClaim("realm_access", Map.of("roles", List.of("reader"))).sign(rs256);

        HttpResponse<String> response = send("/admin/users", reader, Map.of());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("\"error\":\"forbidden\"");
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"");
        backend.enqueue(new MockResponse.Builder().body("ok").build());
        assertThat(send("/admin/users", claims("k1").sign(rs256), Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void anUnknownKidRefreshesTheJwksOnceAndTheRotatedKeyWorks() throws Exception {
        startGateway(jwks(rsaJwk("k1", rsa1)));
        Algorithm k1 = Algorithm.RSA256((RSAPublicKey) rsa1.getPublic(), (RSAPrivateKey) rsa1.getPrivate());
        backend.enqueue(new MockResponse.Builder().body("warm").build());
        assertThat(send("/orders", claims("k1").sign(k1), Map.of()).statusCode()).isEqualTo(200); // keys loaded
        Algorithm rotated = Algorithm.RSA256((RSAPublicKey) rsa2.getPublic(), (RSAPrivateKey) rsa2.getPrivate());
        idp.enqueue(jwksResponse(jwks(rsaJwk("k1", rsa1), rsaJwk("k2", rsa2))));
        backend.enqueue(new MockResponse.Builder().body("ok").build());

        HttpResponse<String> response = send("/orders", claims("k2").sign(rotated), Map.of());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(idp.getRequestCount()).isEqualTo(2);
    }

    @Test
    void whenTheIdpIsDownCachedKeysKeepWorkingAndUnknownKidsAreRefused() throws Exception {
        startGateway(jwks(rsaJwk("k1", rsa1)));
        Algorithm k1 = Algorithm.RSA256((RSAPublicKey) rsa1.getPublic(), (RSAPrivateKey) rsa1.getPrivate());
        backend.enqueue(new MockResponse.Builder().body("warm").build());
        assertThat(send("/orders", claims("k1").sign(k1), Map.of()).statusCode()).isEqualTo(200);
        idp.close();

        Algorithm unknown = Algorithm.RSA256((RSAPublicKey) rsa2.getPublic(), (RSAPrivateKey) rsa2.getPrivate());
        HttpResponse<String> refused = send("/orders", claims("k9").sign(unknown), Map.of());
        backend.enqueue(new MockResponse.Builder().body("ok").build());
        HttpResponse<String> cached = send("/orders", claims("k1").sign(k1), Map.of());

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(cached.statusCode()).isEqualTo(200);
    }

    @Test
    void aMalformedBodyWaitingBehindAKeyRefreshIsAnsweredThenTheConnectionClosed() throws Exception {
        startGateway(jwks(rsaJwk("k1", rsa1)));
        Algorithm k1 = Algorithm.RSA256((RSAPublicKey) rsa1.getPublic(), (RSAPrivateKey) rsa1.getPrivate());
        backend.enqueue(new MockResponse.Builder().body("warm").build());
        assertThat(send("/orders", claims("k1").sign(k1), Map.of()).statusCode()).isEqualTo(200); // keys loaded
        assertThat(backend.takeRequest(2, TimeUnit.SECONDS)).isNotNull();
        // The refresh an unknown kid triggers is slow, so the bad chunk waits in the backlog meanwhile.
        idp.enqueue(jwksResponse(jwks(rsaJwk("k1", rsa1))).newBuilder()
                .headersDelay(200, TimeUnit.MILLISECONDS).build());
        Algorithm unknown = Algorithm.RSA256((RSAPublicKey) rsa2.getPublic(), (RSAPrivateKey) rsa2.getPrivate());

        try (RawHttp raw = gateway.connect()) {
            raw.send(RawHttp.request("POST", "/orders", "Authorization: Bearer " + claims("k9").sign(unknown),
                    "Transfer-Encoding: chunked") + "zz\r\nhello\r\n0\r\n\r\n" + RawHttp.request("GET", "/orders"));

            Reply refused = Reply.parse(raw.readResponse());
            assertThat(refused.status()).as("%s", refused).isEqualTo(401);
            assertThat(raw.isClosedByPeer()).as("closed: nothing after the bad chunk can be framed").isTrue();
        }
        assertThat(backend.takeRequest(200, TimeUnit.MILLISECONDS)).as("the request after it, at the backend")
                .isNull();
    }

    private HttpResponse<String> send(String path, String token, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JWTCreator.Builder claims(String kid) {
        JWTCreator.Builder builder = JWT.create().withIssuer(ISSUER).withAudience("gatehouse")
                .withSubject("user-42").withClaim("email", "user42@example.com")
                .withClaim("realm_access", Map.of("roles", List.of("admin")))
                .withExpiresAt(Instant.now().plusSeconds(600));
        return kid == null ? builder : builder.withKeyId(kid);
    }

    private static String unsigned(String header) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String payload = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"gatehouse\",\"sub\":\"user-42\",\"exp\":"
                + Instant.now().plusSeconds(600).getEpochSecond() + "}";
        return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".";
    }

    private static MockResponse jwksResponse(String body) {
        return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
    }

    private static String jwks(String... keys) {
        return "{\"keys\":[" + String.join(",", keys) + "]}";
    }

    private static String rsaJwk(String kid, KeyPair pair) {
        RSAPublicKey key = (RSAPublicKey) pair.getPublic();
        return "{\"kty\":\"RSA\",\"kid\":\"" + kid + "\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\""
                + b64(key.getModulus()) + "\",\"e\":\"" + b64(key.getPublicExponent()) + "\"}";
    }

    private static String ecJwk(String kid, KeyPair pair) {
        ECPublicKey key = (ECPublicKey) pair.getPublic();
        return "{\"kty\":\"EC\",\"kid\":\"" + kid + "\",\"use\":\"sig\",\"crv\":\"P-256\",\"x\":\""
                + b64(key.getW().getAffineX(), 32) + "\",\"y\":\"" + b64(key.getW().getAffineY(), 32) + "\"}";
    }

    private static String b64(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes[0] == 0 && bytes.length > 1) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String b64(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        byte[] fixed = new byte[length];
        int copy = Math.min(bytes.length, length);
        System.arraycopy(bytes, bytes.length - copy, fixed, length - copy, copy);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
    }
}
