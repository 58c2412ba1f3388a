package io.gatehouse.proxy;

import io.gatehouse.testing.RawBackend;
import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.Reply;
import io.gatehouse.testing.TestGateway;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.gatehouse.proxy.ProtocolFixtures.catchAll;
import static io.gatehouse.proxy.ProtocolFixtures.closedByGateway;
import static io.gatehouse.proxy.ProtocolFixtures.connect;
import static io.gatehouse.proxy.ProtocolFixtures.exchange;
import static io.gatehouse.proxy.ProtocolFixtures.gateway;
import static io.gatehouse.proxy.ProtocolFixtures.get;
import static io.gatehouse.proxy.ProtocolFixtures.proxied;
import static io.gatehouse.proxy.ProtocolFixtures.route;
import static io.gatehouse.proxy.ProtocolFixtures.startBackend;
import static io.gatehouse.testing.MockBackends.assertBackendUntouched;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request target and Host as the backend gets them: invalid ones refused before anything is forwarded, valid
 * ones passed on, and bytes never changed on the way (RFC 9112 §3.2, RFC 9110 §4.2.4 and §7.2).
 */
class HostAndTargetIntegrationTest {
    private static final String PRESERVE_HOST = "preserve_host: true";

    @ParameterizedTest
    @ValueSource(strings = {"a@b.example/x", "user@b.example", "a b", "x, y", "x,y", "example.com:65536",
            "example.com:123456", "example.com:8o", "\"quoted\".example", "<evil>.example", "[::1", "[::1]x",
            "[not:an:ip]", "[v1.future]", "[fe80::1%25eth0]", ":80", "exa%zzmple.com", "a\\b.example"})
    void invalidHostIsRefusedWith400AndNeverForwarded(String host) throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend);
             RawHttp raw = connect(gateway)) {
            Reply reply = Reply.parse(raw.send(get("/h", "Host: " + host)).readResponse());

            assertThat(reply.status()).as("%s", reply).isEqualTo(400);
            assertThat(reply.header("Content-Type")).startsWith("application/json");
            assertThat(reply.errorCode()).isEqualTo("invalid_host");
            assertThat(reply.body()).doesNotContain(host);
            assertThat(closedByGateway(raw)).as("connection closed after the 400").isTrue();
            assertBackendUntouched(backend);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "Example.COM:8080", "127.0.0.1:80", "[::1]:8080", "[2001:db8::1]",
            "[::ffff:192.0.2.1]", "xn--bcher-kva.example", "a-b_c~d.example", "example.com.", "example.com:"})
    void validHostIsForwardedUnchanged(String host) throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway("", catchAll(backend, PRESERVE_HOST))) {
            Headers upstream = proxied(gateway, backend, get("/h", "Host: " + host)).getHeaders();

            assertThat(upstream.values("Host")).containsExactly(host);
            assertThat(upstream.values("X-Forwarded-Host")).containsExactly(host);
        }
    }

    @Test
    void trailingDotNamesTheSameHostForRouting() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway("", route("api", "path_prefix: /, host: api.example.com", backend))) {
            RecordedRequest recorded = proxied(gateway, backend, get("/h", "Host: API.example.com.:8080"));

            assertThat(recorded.getTarget()).isEqualTo("/h");
        }
    }

    @Test
    void emptyHostIsAcceptedAndNotPassedOnAsForwardedHost() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway("", catchAll(backend, PRESERVE_HOST))) {
            Headers upstream = proxied(gateway, backend, get("/h", "Host:")).getHeaders();

            assertThat(upstream.values("Host")).containsExactly("127.0.0.1:" + backend.getPort());
            assertThat(upstream.values("X-Forwarded-Host")).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://alice:s3cret@api.example/x", "http://alice@api.example", "https://alice@api.example?q"})
    void absoluteFormTargetWithUserinfoIsRefused(String target) throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend)) {
            Reply reply = exchange(gateway, get(target, "Host: api.example"));

            assertThat(reply.status()).as("%s", reply).isEqualTo(400);
            assertThat(reply.errorCode()).isEqualTo("invalid_request_target");
            assertThat(reply.body()).doesNotContain("s3cret").doesNotContain("alice");
            assertBackendUntouched(backend); // so no X-Forwarded-Host with the userinfo either
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http:///x", "http://a,b.example/x", "http://api.example:70000/x", "http://[::1/x"})
    void absoluteFormTargetWithInvalidAuthorityIsRefused(String target) throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend)) {
            Reply reply = exchange(gateway, get(target, "Host: api.example"));

            assertThat(reply.status()).as("%s", reply).isEqualTo(400);
            assertThat(reply.errorCode()).isEqualTo("invalid_host");
            assertBackendUntouched(backend);
        }
    }

    @Test
    void absoluteFormAuthorityReplacesTheHostHeader() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway("", catchAll(backend, PRESERVE_HOST))) {
            Headers upstream = proxied(gateway, backend,
                    get("http://api.example:8080/x", "Host: other.example")).getHeaders();

            assertThat(upstream.values("Host")).containsExactly("api.example:8080");
            assertThat(upstream.values("X-Forwarded-Host")).containsExactly("api.example:8080");
        }
    }

    @Test
    void absoluteFormAuthorityEndsAtTheQuery() throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend)) {
            RecordedRequest recorded = proxied(gateway, backend, get("http://api.example?next=/admin"));

            assertThat(recorded.getTarget()).isEqualTo("/?next=/admin");
            assertThat(recorded.getHeaders().values("X-Forwarded-Host")).containsExactly("api.example");
        }
    }

    /** Each char of these targets is one byte on the wire (RawHttp sends Latin-1): "\u00C3\u00A9" is UTF-8 é. */
    @ParameterizedTest
    @ValueSource(strings = {"/caf\u00C3\u00A9", "/caf\u00E9", "/a?q=\u00C3\u00A9", "http://api.example/\u00E9"})
    void requestTargetWithNonAsciiBytesIsRefused(String target) throws Exception {
        try (RawBackend backend = RawBackend.ok();
             TestGateway gateway = gateway("", route("r", "path_prefix: /", backend.port()));
             RawHttp raw = connect(gateway)) {
            Reply reply = Reply.parse(raw.send(get(target)).readResponse());

            assertThat(reply.status()).as("%s", reply).isEqualTo(400);
            assertThat(reply.errorCode()).isEqualTo("invalid_request_target");
            assertThat(closedByGateway(raw)).as("connection closed after the 400").isTrue();
            backend.assertNoRequest();
        }
    }

    /** Netty's decoder refuses these itself; the gateway must answer, close, and forward nothing. */
    @ParameterizedTest
    @ValueSource(strings = {"/a\u0001b", "/a\u007Fb", "/a\u0000b"})
    void requestTargetWithControlBytesIsRefused(String target) throws Exception {
        try (RawBackend backend = RawBackend.ok();
             TestGateway gateway = gateway("", route("r", "path_prefix: /", backend.port()));
             RawHttp raw = connect(gateway)) {
            Reply reply = Reply.parse(raw.send(get(target)).readResponse());

            assertThat(reply.status()).as("%s", reply).isEqualTo(400);
            assertThat(closedByGateway(raw)).as("connection closed after the 400").isTrue();
            backend.assertNoRequest();
        }
    }

    @Test
    void percentEncodedTargetReachesTheBackendByteForByte() throws Exception {
        try (RawBackend backend = RawBackend.ok();
             TestGateway gateway = gateway("", route("r", "path_prefix: /", backend.port()))) {
            Reply reply = exchange(gateway, get("/caf%C3%A9?q=%E9%20x"));

            assertThat(reply.status()).as("%s", reply).isEqualTo(200);
            assertThat(backend.takeHead()).startsWith("GET /caf%C3%A9?q=%E9%20x HTTP/1.1\r\n");
        }
    }

    @Test
    void obsTextRequestHeaderValueReachesTheBackendByteForByte() throws Exception {
        try (RawBackend backend = RawBackend.ok();
             TestGateway gateway = gateway("", route("r", "path_prefix: /", backend.port()))) {
            // bytes 0xC3 0xA9 (UTF-8 é) and 0xE9 (Latin-1 é): opaque obs-text to HTTP (RFC 9110 §5.5)
            Reply reply = exchange(gateway, get("/h", "X-Obs: caf\u00C3\u00A9 caf\u00E9"));

            assertThat(reply.status()).as("%s", reply).isEqualTo(200);
            // takeHead spells each byte as one char, so this compares bytes
            assertThat(backend.takeHead()).contains("\r\nX-Obs: caf\u00C3\u00A9 caf\u00E9\r\n");
        }
    }

    @Test
    void obsTextResponseHeaderValueReachesTheClientByteForByte() throws Exception {
        try (RawBackend backend = RawBackend.answering(
                "HTTP/1.1 200 OK\r\nX-Obs: caf\u00C3\u00A9 caf\u00E9\r\nContent-Length: 2\r\n\r\nok");
             TestGateway gateway = gateway("", route("r", "path_prefix: /", backend.port()));
             RawHttp raw = connect(gateway)) {
            String head = raw.send(get("/h")).readHead();

            assertThat(head).contains("\r\nX-Obs: caf\u00C3\u00A9 caf\u00E9\r\n");
        }
    }
}
