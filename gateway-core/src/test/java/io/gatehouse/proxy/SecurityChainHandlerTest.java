package io.gatehouse.proxy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.gatehouse.proxy.EmbeddedGateway.Client;
import io.gatehouse.proxy.EmbeddedGateway.Reply;
import io.gatehouse.testing.Sha256;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static io.gatehouse.testing.RawHttp.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client pipeline's security chain on an {@link io.netty.channel.embedded.EmbeddedChannel}: raw request bytes
 * in, raw response bytes out, with the real {@code ClientPipeline} and a {@link GatewayRuntime} built from YAML.
 * Every case is a request the gateway refuses or answers itself, so no upstream is ever contacted (the routes
 * point at the discard port). The end-to-end view of the same rules is in the {@code io.gatehouse.security}
 * integration tests.
 */
class SecurityChainHandlerTest {
    private static final String UNREACHABLE = "\"http://127.0.0.1:9\"";
    private static final String DEV_KEY = "0123456789abcdef-dev";
    private static final String SECRET = "an-hmac-secret-of-at-least-32-bytes!!";
    private static final String ALLOWED_ORIGIN = "https://app.example.com";

    private static final String YAML = """
            auth:
              default: [api_key]
              api_keys:
                header: X-API-Key
                keys:
                  - {id: dev-team, sha256: %s, roles: [reader]}
              jwt:
                secret: "%s"
                algorithms: [HS256]
            cors:
              allowed_origins: [%s]
              allowed_methods: [PUT]
            routes:
              - {id: admin, match: {path_prefix: /admin}, upstream: %s, roles: [admin]}
              - {id: token, match: {path_prefix: /token}, upstream: %s, auth: [jwt]}
              - {id: api, match: {path_prefix: /}, upstream: %s}
            """.formatted(Sha256.hex(DEV_KEY), SECRET, ALLOWED_ORIGIN, UNREACHABLE, UNREACHABLE, UNREACHABLE);

    private EmbeddedGateway gateway;

    @BeforeEach
    void start() {
        gateway = EmbeddedGateway.start(YAML);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    // ---- API keys and roles ----

    @Test
    void missingApiKeyIs401JsonWhoseRequestIdIsTheHeader() throws Exception {
        Client client = gateway.connect();

        Reply reply = single(client.exchange(request("GET", "/orders")));

        assertGatewayError(reply, 401, "unauthorized");
        assertThat(reply.json("message")).isEqualTo("missing API key (send it in the X-API-Key header)");
        assertThat(reply.json("request_id")).matches("[0-9a-f]{32}");
        assertThat(client.isActive()).as("a refusal keeps the connection").isTrue();
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    @Test
    void wrongApiKeyIs401WithTheSameBodyShapeAndTheClientsRequestId() throws Exception {
        Client client = gateway.connect();

        Reply reply = single(client.exchange(request("GET", "/orders",
                "X-API-Key: not-" + DEV_KEY, "X-Request-ID: client-id-1")));

        assertGatewayError(reply, 401, "unauthorized");
        assertThat(reply.json("message")).isEqualTo("invalid API key");
        assertThat(reply.header("X-Request-ID")).isEqualTo("client-id-1");
        assertThat(reply.body()).startsWith("{\"error\":\"unauthorized\",\"message\":\"invalid API key\","
                + "\"request_id\":\"client-id-1\"}");
        assertThat(reply.header("WWW-Authenticate")).as("API keys have no challenge scheme").isNull();
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    @Test
    void validKeyWithoutTheRoutesRoleIs403() throws Exception {
        Client client = gateway.connect();

        Reply reply = single(client.exchange(request("GET", "/admin/users", "X-API-Key: " + DEV_KEY)));

        assertGatewayError(reply, 403, "forbidden");
        assertThat(reply.json("message")).isEqualTo("requires one of the roles: admin");
        assertThat(gateway.metric("gatehouse_auth_rejections_total", "reason=\"missing_role\"")).isEqualTo(1.0);
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    // ---- IP rules ----

    @Test
    void deniedAddressIs403BeforeAnyKeyCheck() throws Exception {
        try (EmbeddedGateway denying = EmbeddedGateway.start("ip_rules: {deny: [203.0.113.7/32]}\n" + YAML)) {
            Client denied = denying.connect(EmbeddedGateway.DEFAULT_PEER);
            Client other = denying.connect(new InetSocketAddress("198.51.100.20", 40000));

            Reply refused = single(denied.exchange(request("GET", "/orders"))); // no key at all
            Reply control = single(other.exchange(request("GET", "/orders")));

            assertGatewayError(refused, 403, "forbidden");
            assertThat(refused.json("message")).isEqualTo("client address not allowed");
            assertThat(control.status()).as("another peer, same request: %s", control).isEqualTo(401);
            assertThat(denying.metric("gatehouse_auth_rejections_total", "reason=\"ip_denied\"")).isEqualTo(1.0);
            assertThat(denying.metric("gatehouse_auth_rejections_total", "reason=\"missing_credentials\""))
                    .as("only the other peer reached the key check").isEqualTo(1.0);
            assertThat(denied.finishAndReleaseAll()).isFalse();
            assertThat(other.finishAndReleaseAll()).isFalse();
        }
    }

    // ---- CORS ----

    @Test
    void allowedPreflightIs204WithAllowOriginAndNeedsNoKey() throws Exception {
        Client client = gateway.connect();

        Reply reply = single(client.exchange(request("OPTIONS", "/orders/1",
                "Origin: " + ALLOWED_ORIGIN, "Access-Control-Request-Method: PUT")));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(204);
        assertThat(reply.body()).isEmpty();
        assertThat(reply.headers("Access-Control-Allow-Origin")).containsExactly(ALLOWED_ORIGIN);
        assertThat(reply.header("Access-Control-Allow-Methods")).isEqualTo("PUT");
        assertThat(reply.header("Vary")).contains("Origin");
        assertThat(reply.header("X-Request-ID")).isNotBlank();
        assertSecurityHeaders(reply);
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    @Test
    void preflightFromADeniedOriginIs403CorsForbiddenWithoutAllowOrigin() throws Exception {
        Client client = gateway.connect();

        Reply reply = single(client.exchange(request("OPTIONS", "/orders/1",
                "Origin: https://evil.example.net", "Access-Control-Request-Method: PUT")));

        assertGatewayError(reply, 403, "cors_forbidden");
        assertThat(reply.json("message")).isEqualTo("CORS preflight refused: origin not allowed");
        assertThat(reply.header("Access-Control-Allow-Origin")).isNull();
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    @Test
    void authRefusalOfAnAllowedOriginCarriesTheCorsHeaders() throws Exception {
        Client client = gateway.connect();

        Reply reply = single(client.exchange(request("GET", "/orders", "Origin: " + ALLOWED_ORIGIN)));

        assertGatewayError(reply, 401, "unauthorized");
        assertThat(reply.headers("Access-Control-Allow-Origin")).containsExactly(ALLOWED_ORIGIN);
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    // ---- JWT ----

    @Test
    void missingBearerTokenIs401WithABareBearerChallenge() throws Exception {
        Client client = gateway.connect();

        Reply reply = single(client.exchange(request("GET", "/token/me")));

        assertGatewayError(reply, 401, "unauthorized");
        assertThat(reply.json("message")).isEqualTo("missing bearer token (send Authorization: Bearer <token>)");
        // RFC 6750 §3.1: a request without credentials gets the challenge but no error code.
        assertThat(reply.headers("WWW-Authenticate")).containsExactly("Bearer realm=\"gatehouse\"");
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    @Test
    void expiredBearerTokenIs401InvalidToken() throws Exception {
        String expired = JWT.create().withSubject("user-42")
                .withIssuedAt(Instant.now().minusSeconds(3600))
                .withExpiresAt(Instant.now().minusSeconds(600)) // well past the 30 s default leeway
                .sign(Algorithm.HMAC256(SECRET.getBytes(StandardCharsets.UTF_8)));
        Client client = gateway.connect();

        Reply reply = single(client.exchange(request("GET", "/token/me", "Authorization: Bearer " + expired)));

        assertGatewayError(reply, 401, "unauthorized");
        assertThat(reply.json("message")).isEqualTo("invalid token: token expired");
        assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer realm=\"gatehouse\"")
                .contains("error=\"invalid_token\"").contains("error_description=\"token expired\"");
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    @Test
    void tokenSignedWithAnotherSecretIs401InvalidToken() throws Exception {
        String forged = JWT.create().withSubject("user-42").withExpiresAt(Instant.now().plusSeconds(600))
                .sign(Algorithm.HMAC256("another-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8)));
        Client client = gateway.connect();

        Reply reply = single(client.exchange(request("GET", "/token/me", "Authorization: Bearer " + forged)));

        assertGatewayError(reply, 401, "unauthorized");
        assertThat(reply.json("message")).isEqualTo("invalid token: bad signature");
        assertThat(reply.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    // ---- request bodies of refused requests ----

    @Test
    void refusedPostsBodyIsDrainedAndThePipelinedRequestAnsweredInOrder() throws Exception {
        // The body is itself a request: were it parsed as one, a third response would appear.
        String smuggled = request("GET", "/admin/smuggled");
        Client client = gateway.connect();

        List<Reply> replies = client.exchange(
                request("POST", "/orders", "X-Request-ID: first", "Content-Length: " + smuggled.length()) + smuggled
                        + request("GET", "/orders", "X-Request-ID: second", "X-API-Key: wrong"));

        assertThat(replies).as("responses").hasSize(2);
        assertGatewayError(replies.get(0), 401, "unauthorized");
        assertThat(replies.get(0).header("X-Request-ID")).isEqualTo("first");
        assertThat(replies.get(0).json("message")).startsWith("missing API key");
        assertGatewayError(replies.get(1), 401, "unauthorized");
        assertThat(replies.get(1).header("X-Request-ID")).isEqualTo("second");
        assertThat(replies.get(1).json("message")).isEqualTo("invalid API key");
        assertThat(client.isActive()).isTrue();
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    @Test
    void refusalIsSentBeforeTheBodyArrivesAndTheLateBodyIsStillDrained() throws Exception {
        Client client = gateway.connect();

        Reply early = single(client.exchange(
                request("POST", "/orders", "X-Request-ID: first", "Content-Length: 10")));
        assertGatewayError(early, 401, "unauthorized");
        assertThat(early.header("Connection")).as("the gateway will read the body, not close").isNull();

        assertThat(client.exchange("01234")).as("half the body").isEmpty();
        List<Reply> later = client.exchange("56789" + request("GET", "/orders", "X-Request-ID: second"));

        assertThat(single(later).header("X-Request-ID")).isEqualTo("second");
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    @Test
    void refusedChunkedBodyIsDrainedUpToItsLastChunk() throws Exception {
        Client client = gateway.connect();

        List<Reply> replies = client.exchange(
                request("POST", "/orders", "X-Request-ID: first", "Transfer-Encoding: chunked")
                        + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
                        + request("GET", "/orders", "X-Request-ID: second"));

        assertThat(replies).extracting(r -> r.header("X-Request-ID")).containsExactly("first", "second");
        assertThat(replies).extracting(Reply::status).containsExactly(401, 401);
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    @Test
    void refusedPostWithABodyTooLargeToDrainClosesTheConnection() throws Exception {
        Client client = gateway.connect();

        Reply reply = single(client.exchange(request("POST", "/orders", "Content-Length: " + (1024 * 1024))));

        assertGatewayError(reply, 401, "unauthorized");
        assertThat(reply.header("Connection")).isEqualToIgnoringCase("close");
        assertThat(client.isActive()).as("closed rather than reading a megabyte for nothing").isFalse();
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    @Test
    void expectContinueOnARefusedRequestGetsTheRefusalAndNever100Continue() throws Exception {
        Client client = gateway.connect();

        String answered = client.send(request("POST", "/orders", "X-Request-ID: first",
                "Expect: 100-continue", "Content-Length: 5")).outboundText();

        assertThat(answered).doesNotContain(" 100 ").doesNotContainIgnoringCase("continue");
        Reply refused = single(Reply.parseAll(answered));
        assertGatewayError(refused, 401, "unauthorized");
        // The client may or may not send its body now, so the connection cannot be reused safely.
        assertThat(refused.header("Connection")).isEqualTo("close");
        assertThat(client.isActive()).isFalse();
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    // ---- helpers ----


    private static Reply single(List<Reply> replies) {
        assertThat(replies).as("responses").hasSize(1);
        return replies.get(0);
    }

    /** A gateway JSON error: status, code, request ID in body and header alike, no caching, security headers. */
    private static void assertGatewayError(Reply reply, int status, String code) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.statusLine()).startsWith("HTTP/1.1 " + status + " ");
        assertThat(reply.header("Content-Type")).isEqualTo("application/json");
        assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
        assertThat(reply.body()).matches("(?s)\\{\"error\":\"[^\"]+\",\"message\":\"[^\"]*\",\"request_id\":\"[^\"]+\"}\n");
        assertThat(reply.json("error")).isEqualTo(code);
        assertThat(reply.headers("X-Request-ID")).as("X-Request-ID").hasSize(1);
        assertThat(reply.header("X-Request-ID")).isEqualTo(reply.json("request_id"));
        assertSecurityHeaders(reply);
    }

    private static void assertSecurityHeaders(Reply reply) {
        assertThat(reply.header("X-Content-Type-Options")).as("X-Content-Type-Options").isEqualTo("nosniff");
        assertThat(reply.header("X-Frame-Options")).as("X-Frame-Options").isEqualTo("DENY");
        assertThat(reply.header("Strict-Transport-Security")).as("no HSTS over plain HTTP").isNull();
    }
}
