package io.gatehouse.proxy;

import io.gatehouse.testing.Reply;
import io.gatehouse.testing.TestGateway;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static io.gatehouse.testing.MockBackends.assertBackendUntouched;
import static io.gatehouse.proxy.ProtocolFixtures.catchAll;
import static io.gatehouse.proxy.ProtocolFixtures.exchange;
import static io.gatehouse.proxy.ProtocolFixtures.gateway;
import static io.gatehouse.proxy.ProtocolFixtures.get;
import static io.gatehouse.proxy.ProtocolFixtures.proxied;
import static io.gatehouse.testing.MockBackends.received;
import static io.gatehouse.proxy.ProtocolFixtures.route;
import static io.gatehouse.proxy.ProtocolFixtures.startBackend;
import static org.assertj.core.api.Assertions.assertThat;

/** What crosses the gateway in each direction: request line, body, end-to-end, hop-by-hop and forwarding headers. */
class HeadersIntegrationTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String TRUSTING_LOCALHOST = "server: {trusted_proxies: [127.0.0.1/32]}\n";

    @Test
    void methodPathQueryBodyAndCustomHeadersCrossBothWays() throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend)) {
            backend.enqueue(new MockResponse.Builder().code(201).addHeader("X-Reply", "r1").body("created").build());

            HttpRequest request = HttpRequest.newBuilder(gateway.uri("/orders/42?sort=desc&q=a%20b"))
                    .header("X-Custom", "c1")
                    .PUT(HttpRequest.BodyPublishers.ofString("payload"))
                    .build();
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(response.body()).isEqualTo("created");
            assertThat(response.headers().firstValue("X-Reply")).hasValue("r1");
            RecordedRequest recorded = received(backend);
            assertThat(recorded.getMethod()).isEqualTo("PUT");
            assertThat(recorded.getTarget()).isEqualTo("/orders/42?sort=desc&q=a%20b");
            assertThat(recorded.getBody().utf8()).isEqualTo("payload");
            assertThat(recorded.getHeaders().values("X-Custom")).containsExactly("c1");
        }
    }

    @Test
    void hopByHopRequestHeadersAreStrippedBeforeTheBackend() throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend)) {
            Headers upstream = proxied(gateway, backend, get("/hop",
                    "Connection: close, X-Secret-Hop",
                    "Keep-Alive: timeout=5",
                    "Proxy-Connection: keep-alive",
                    "TE: trailers",
                    "Trailer: X-Checksum",
                    "Upgrade: websocket",
                    "Proxy-Authorization: Basic Zm9vOmJhcg==",
                    "X-Secret-Hop: s3cret",
                    "X-End-To-End: kept")).getHeaders();

            assertThat(List.of("Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Upgrade",
                    "Proxy-Authorization", "X-Secret-Hop"))
                    .as("hop-by-hop headers at the backend: %s", upstream)
                    .noneMatch(name -> upstream.get(name) != null);
            assertThat(upstream.get("X-End-To-End")).isEqualTo("kept");
        }
    }

    @Test
    void hopByHopResponseHeadersAreStrippedBeforeTheClient() throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend)) {
            backend.enqueue(new MockResponse.Builder().code(200)
                    .addHeader("Keep-Alive", "timeout=5")
                    .addHeader("Connection", "X-Hop")
                    .addHeader("X-Hop", "secret")
                    .addHeader("Proxy-Authenticate", "Basic realm=\"inner\"")
                    .addHeader("X-End-To-End", "kept")
                    .body("ok").build());

            Reply reply = exchange(gateway, get("/r"));

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("ok");
            assertThat(List.of("Keep-Alive", "X-Hop", "Proxy-Authenticate"))
                    .as("hop-by-hop headers at the client: %s", reply)
                    .noneMatch(name -> reply.header(name) != null);
            assertThat(reply.all("Connection")).as("%s", reply).noneMatch(v -> v.toLowerCase().contains("x-hop"));
            assertThat(reply.header("X-End-To-End")).isEqualTo("kept");
        }
    }

    @Test
    void untrustedClientCannotForgeForwardedHeaders() throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend)) {
            Headers upstream = proxied(gateway, backend, get("/xff",
                    "Host: client.example",
                    "X-Forwarded-For: 198.51.100.66",
                    "X-Forwarded-Proto: https",
                    "X-Forwarded-Host: forged.example")).getHeaders();

            assertThat(upstream.values("X-Forwarded-For")).containsExactly("127.0.0.1");
            assertThat(upstream.values("X-Forwarded-Proto")).containsExactly("http");
            assertThat(upstream.values("X-Forwarded-Host")).containsExactly("client.example");
        }
    }

    @Test
    void trustedProxyForwardedHeadersAreExtendedAndKept() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway(TRUSTING_LOCALHOST, catchAll(backend))) {
            Headers upstream = proxied(gateway, backend, get("/xff",
                    "Host: client.example",
                    "X-Forwarded-For: 203.0.113.9",
                    "X-Forwarded-Proto: https",
                    "X-Forwarded-Host: public.example")).getHeaders();

            assertThat(upstream.values("X-Forwarded-For")).containsExactly("203.0.113.9, 127.0.0.1");
            assertThat(upstream.values("X-Forwarded-Proto")).containsExactly("https");
            assertThat(upstream.values("X-Forwarded-Host")).containsExactly("public.example");
        }
    }

    @Test
    void viaIsAddedUpstreamAndOnTheResponse() throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend)) {
            backend.enqueue(new MockResponse.Builder().code(200).body("ok").build());

            Reply reply = exchange(gateway, get("/via"));

            assertThat(reply.all("Via")).as("%s", reply).containsExactly("1.1 gatehouse");
            assertThat(received(backend).getHeaders().values("Via")).containsExactly("1.1 gatehouse");
        }
    }

    @Test
    void hostIsTheBackendsByDefault() throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend)) {
            RecordedRequest recorded = proxied(gateway, backend, get("/h", "Host: client.example:8080"));

            assertThat(recorded.getHeaders().values("Host")).containsExactly("127.0.0.1:" + backend.getPort());
        }
    }

    @Test
    void hostIsTheClientsWithPreserveHost() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway("", catchAll(backend, "preserve_host: true"))) {
            RecordedRequest recorded = proxied(gateway, backend, get("/h", "Host: client.example:8080"));

            assertThat(recorded.getHeaders().values("Host")).containsExactly("client.example:8080");
        }
    }

    @Test
    void stripPrefixRemovesTheRoutePrefixAndKeepsTheQuery() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway("", route("api", "path_prefix: /api", backend, "strip_prefix: true"))) {
            RecordedRequest recorded = proxied(gateway, backend, get("/api/users/7?active=true&tag=a%2Cb"));

            assertThat(recorded.getTarget()).isEqualTo("/users/7?active=true&tag=a%2Cb");
        }
    }

    @Test
    void rewriteReplacesTheRoutePrefixAndKeepsTheQuery() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway("", route("v1", "path_prefix: /v1", backend, "rewrite: /internal"))) {
            RecordedRequest recorded = proxied(gateway, backend, get("/v1/x?y=1"));

            assertThat(recorded.getTarget()).isEqualTo("/internal/x?y=1");
        }
    }

    @Test
    void dotSegmentsAreRemovedBeforeTheBackend() throws Exception {
        try (MockWebServer backend = startBackend(); TestGateway gateway = gateway(backend)) {
            RecordedRequest recorded = proxied(gateway, backend, get("/a/./b/../c?z=1"));

            assertThat(recorded.getTarget()).isEqualTo("/a/c?z=1");
        }
    }

    @Test
    void encodedSlashInThePathIsRejected() throws Exception {
        try (MockWebServer publicBackend = startBackend(); MockWebServer adminBackend = startBackend();
             TestGateway gateway = publicAndAdmin(publicBackend, adminBackend)) {
            Reply reply = exchange(gateway, get("/public/..%2fadmin"));

            assertThat(reply.status()).as("%s", reply).isEqualTo(400);
            assertThat(reply.errorCode()).isEqualTo("invalid_path");
            assertBackendUntouched(publicBackend);
            assertBackendUntouched(adminBackend);
        }
    }

    @Test
    void encodedDotSegmentsAreRoutedByTheNormalisedPath() throws Exception {
        try (MockWebServer publicBackend = startBackend(); MockWebServer adminBackend = startBackend();
             TestGateway gateway = publicAndAdmin(publicBackend, adminBackend)) {
            RecordedRequest recorded = proxied(gateway, adminBackend, get("/public/%2e%2e/admin"));

            assertThat(recorded.getTarget()).isEqualTo("/admin");
            assertBackendUntouched(publicBackend);
        }
    }

    /** /public to one backend, /admin to another: shows which path the router actually matched. */
    private static TestGateway publicAndAdmin(MockWebServer publicBackend, MockWebServer adminBackend) {
        return gateway("", route("public", "path_prefix: /public", publicBackend),
                route("admin", "path_prefix: /admin", adminBackend));
    }
}
