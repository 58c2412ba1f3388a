package io.gatehouse.admin;

import static io.gatehouse.testing.TestAdmin.TOKEN;
import static io.gatehouse.testing.TestAdmin.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.Reply;
import io.gatehouse.testing.TestAdmin;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin listener itself: authentication, routing errors, body bounds, keep-alive. */
class AdminServerTest {
    private static final String CONFIG = """
            admin: {address: "127.0.0.1:0", token: %s}
            routes:
              - {id: r, match: {path_prefix: /}, upstream: "http://127.0.0.1:9"}
            """.formatted(TOKEN);
    private static TestAdmin admin;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        admin = TestAdmin.start(dir, CONFIG);
    }

    @AfterAll
    static void stop() {
        admin.close();
    }

    @Test
    void withoutTheRightTokenEveryApiPathIs401() throws Exception {
        for (String authorization : new String[] {null, "Bearer wrong-token-0123456789abcdef", "Bearer " + TOKEN + "x",
                "Basic " + TOKEN, "Bearer", TOKEN}) {
            for (String path : new String[] {"/admin/version", "/admin/config", "/admin/nope"}) {
                HttpRequest.Builder request = HttpRequest.newBuilder(admin.uri(path)).timeout(Duration.ofSeconds(10));
                if (authorization != null) {
                    request.header("Authorization", authorization);
                }
                HttpResponse<String> response = admin.send(request);
                assertThat(response.statusCode()).as("%s with %s", path, authorization).isEqualTo(401);
                assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"gatehouse-admin\"");
                assertThat(json(response).get("error").asText()).isEqualTo("unauthorized");
                assertThat(json(response).get("request_id").asText()).isNotEmpty();
                assertThat(response.body()).doesNotContain(TOKEN);
            }
        }
        HttpResponse<String> right = admin.send(HttpRequest.newBuilder(admin.uri("/admin/version")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "bearer   " + TOKEN));
        assertThat(right.statusCode()).isEqualTo(200);
    }

    @Test
    void loopbackMayGoWithoutATokenWhenConfiguredSo(@TempDir Path dir) throws Exception {
        try (TestAdmin open = TestAdmin.start(dir, """
                admin: {address: "127.0.0.1:0", allow_unauthenticated_loopback: true}
                routes:
                  - {id: r, match: {path_prefix: /}, upstream: "http://127.0.0.1:9"}
                """)) {
            assertThat(open.send(HttpRequest.newBuilder(open.uri("/admin/version")).timeout(Duration.ofSeconds(10))).statusCode()).isEqualTo(200);
            // A header that is sent must be right, and without a configured token nothing is.
            assertThat(open.get("/admin/version").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405WithAllow() throws Exception {
        for (String path : new String[] {"/nope", "/admin", "/admin/", "/admin/versions", "/admin/version/x",
                "/admin/routes/a/b"}) {
            HttpResponse<String> response = admin.get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(json(response).get("error").asText()).isEqualTo("not_found");
        }
        HttpResponse<String> post = admin.send("POST", "/admin/version", "application/json", "{}");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        assertThat(json(post).get("error").asText()).isEqualTo("method_not_allowed");
        assertThat(json(post).get("message").asText()).isEqualTo("this admin endpoint supports GET");
    }

    @Test
    void aBodyOverTheLimitIs413AndTheConnectionCloses() throws Exception {
        int size = AdminBodyLimit.MAX_BODY_BYTES + 1;
        try (RawHttp raw = new RawHttp(admin.port())) {
            raw.send(RawHttp.request("POST", "/admin/config/validate", "Authorization: Bearer " + TOKEN,
                    "Content-Type: application/yaml", "Content-Length: " + size));
            raw.send("a".repeat(64 * 1024)); // some of the body, never all of it
            Reply reply = Reply.parse(raw.readResponse());
            assertThat(reply.status()).isEqualTo(413);
            assertThat(reply.errorCode()).isEqualTo("payload_too_large");
            assertThat(raw.isClosedByPeer()).isTrue();
        }
        try (RawHttp raw = new RawHttp(admin.port())) {
            raw.send(RawHttp.request("POST", "/admin/config/validate", "Authorization: Bearer " + TOKEN,
                    "Content-Type: application/yaml", "Content-Length: " + size, "Expect: 100-continue"));
            Reply reply = Reply.parse(raw.readResponse());
            assertThat(reply.status()).isEqualTo(413);
            assertThat(reply.errorCode()).isEqualTo("payload_too_large");
            assertThat(raw.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void aMalformedRequestIs400AndTheConnectionCloses() throws Exception {
        try (RawHttp raw = new RawHttp(admin.port())) {
            raw.send("GET /admin/version HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab");
            Reply reply = Reply.parse(raw.readResponse());
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.errorCode()).isEqualTo("bad_request");
            assertThat(raw.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void keepAliveAnswersPipelinedRequestsInOrder() throws Exception {
        try (RawHttp raw = new RawHttp(admin.port())) {
            String auth = "Authorization: Bearer " + TOKEN;
            raw.send(RawHttp.request("GET", "/admin/version", auth) + RawHttp.request("GET", "/nope", auth)
                    + RawHttp.request("GET", "/admin/config", auth));
            Reply first = Reply.parse(raw.readResponse());
            Reply second = Reply.parse(raw.readResponse());
            Reply third = Reply.parse(raw.readResponse());
            assertThat(first.status()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(first.body()).has("version")).isTrue();
            assertThat(second.status()).isEqualTo(404);
            assertThat(third.status()).isEqualTo(200);
            JsonNode config = new ObjectMapper().readTree(third.body());
            assertThat(config.at("/routes/0/id").asText()).isEqualTo("r");
            assertThat(raw.socket().isClosed()).isFalse();
        }
    }
}
