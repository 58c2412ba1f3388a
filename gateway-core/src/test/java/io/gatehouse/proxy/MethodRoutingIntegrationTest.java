package io.gatehouse.proxy;

import io.gatehouse.testing.RawBackend;
import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.Reply;
import io.gatehouse.testing.TestGateway;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.gatehouse.proxy.ProtocolFixtures.connect;
import static io.gatehouse.proxy.ProtocolFixtures.exchange;
import static io.gatehouse.proxy.ProtocolFixtures.gateway;
import static io.gatehouse.proxy.ProtocolFixtures.request;
import static io.gatehouse.proxy.ProtocolFixtures.route;
import static io.gatehouse.proxy.ProtocolFixtures.startBackend;
import static io.gatehouse.testing.MockBackends.assertBackendUntouched;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A route's {@code methods}: HEAD wherever GET is (RFC 9110 §9.3.2), and refusals made once the route is known
 * (405, 413, CORS preflights) counted under that route rather than under {@code route="none"}.
 */
class MethodRoutingIntegrationTest {
    private static final String GET_ONLY = "path_prefix: /items, methods: [GET]";

    @Test
    void headOnAGetOnlyRouteIsProxiedAndAnsweredWithoutABody() throws Exception {
        try (RawBackend backend = RawBackend.answering(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nX-From: backend\r\n\r\n");
             TestGateway gateway = gateway("", route("items", GET_ONLY, backend.port()));
             RawHttp raw = connect(gateway)) {
            Reply first = Reply.parse(raw.send(request("HEAD", "/items/1")).readHead());
            // Were any body bytes sent after the first head, they would come before this second answer.
            Reply second = Reply.parse(raw.send(request("HEAD", "/items/2")).readHead());

            assertThat(first.status()).as("%s", first).isEqualTo(200);
            assertThat(first.header("Content-Length")).isEqualTo("5");
            assertThat(first.header("Content-Type")).isEqualTo("text/plain");
            assertThat(first.header("X-From")).isEqualTo("backend");
            assertThat(second.status()).as("%s", second).isEqualTo(200);
            assertThat(backend.takeHead()).startsWith("HEAD /items/1 ");
        }
    }

    @Test
    void allowListsHeadWhereverGetIsAllowed() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway("", route("items", GET_ONLY, backend))) {
            Reply reply = exchange(gateway, request("PUT", "/items/1"));

            assertThat(reply.status()).as("%s", reply).isEqualTo(405);
            assertThat(reply.header("Allow")).isEqualTo("GET, HEAD");
            assertBackendUntouched(backend);
        }
    }

    @Test
    void methodNotAllowedIsCountedUnderTheRoute() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway("", route("items", GET_ONLY, backend))) {
            assertThat(exchange(gateway, request("DELETE", "/items/1")).status()).isEqualTo(405);

            awaitCount(gateway, "items", "DELETE", "4xx");
            assertThat(requests(gateway, "none", "DELETE", "4xx")).as("counted under route=\"none\"").isNaN();
        }
    }

    @Test
    void declaredBodyOverTheLimitIsCountedUnderTheRoute() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway("server: {limits: {max_body_bytes: 1KiB}}\n",
                     route("upload", "path_prefix: /upload", backend))) {
            Reply reply = exchange(gateway, request("POST", "/upload", "Content-Length: 5000"));

            assertThat(reply.status()).as("%s", reply).isEqualTo(413);
            awaitCount(gateway, "upload", "POST", "4xx");
            assertThat(requests(gateway, "none", "POST", "4xx")).as("counted under route=\"none\"").isNaN();
            assertBackendUntouched(backend);
        }
    }

    @Test
    void corsPreflightsAnsweredAndRefusedAreCountedUnderTheRoute() throws Exception {
        try (MockWebServer backend = startBackend();
             TestGateway gateway = gateway("", route("app", "path_prefix: /app", backend,
                     "cors: {allowed_origins: [\"https://app.example.com\"], allowed_methods: [PUT]}"))) {
            Reply allowed = exchange(gateway, preflight("https://app.example.com"));
            Reply refused = exchange(gateway, preflight("https://evil.example.net"));

            assertThat(allowed.status()).as("%s", allowed).isEqualTo(204);
            assertThat(refused.status()).as("%s", refused).isEqualTo(403);
            awaitCount(gateway, "app", "OPTIONS", "2xx");
            awaitCount(gateway, "app", "OPTIONS", "4xx");
            assertThat(requests(gateway, "none", "OPTIONS", "")).as("counted under route=\"none\"").isNaN();
            assertBackendUntouched(backend);
        }
    }

    private static String preflight(String origin) {
        return request("OPTIONS", "/app/x", "Origin: " + origin, "Access-Control-Request-Method: PUT");
    }

    private static void awaitCount(TestGateway gateway, String route, String method, String statusClass) {
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(requests(gateway, route, method, statusClass))
                        .as("gatehouse_requests_total{route=%s,method=%s,status_class=%s}", route, method, statusClass)
                        .isEqualTo(1.0));
    }

    private static double requests(TestGateway gateway, String route, String method, String statusClass) {
        return gateway.metric("gatehouse_requests_total", "route=\"" + route + "\"", "method=\"" + method + "\"",
                "status_class=\"" + statusClass);
    }
}
