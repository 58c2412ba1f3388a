package io.gatehouse.security;

import io.gatehouse.testing.TestGateway;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.gatehouse.testing.MockBackends.assertBackendUntouched;
import static io.gatehouse.security.SecurityFixtures.echoBackend;
import static io.gatehouse.security.SecurityFixtures.errorCode;
import static io.gatehouse.security.SecurityFixtures.gateway;
import static io.gatehouse.security.SecurityFixtures.get;
import static io.gatehouse.testing.MockBackends.received;
import static io.gatehouse.security.SecurityFixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * IP rules, global and per route, against the real client address: the socket peer (127.0.0.1 in these tests),
 * or the rightmost untrusted {@code X-Forwarded-For} entry when the peer is a trusted proxy.
 */
class IpRulesIntegrationTest {
    private MockWebServer backend;

    @BeforeEach
    void startBackend() throws Exception {
        backend = echoBackend();
    }

    @AfterEach
    void stopBackend() throws Exception {
        backend.close();
    }

    private TestGateway catchAll(String sections, String... extraKeys) {
        return gateway(sections, route("all", "path_prefix: /", backend, extraKeys));
    }

    @Test
    void globalDenyOfLoopbackRefusesRoutesAndMetrics() throws Exception {
        try (TestGateway gateway = catchAll("ip_rules: {deny: [127.0.0.0/8]}\n")) {
            double before = gateway.metric("gatehouse_auth_rejections_total", "reason=\"ip_denied\"");

            HttpResponse<String> routed = get(gateway, "/x");
            HttpResponse<String> metrics = get(gateway, "/metrics");

            assertThat(routed.statusCode()).isEqualTo(403);
            assertThat(errorCode(routed.body())).isEqualTo("forbidden");
            assertThat(metrics.statusCode()).isEqualTo(403);
            assertThat(errorCode(metrics.body())).isEqualTo("forbidden");
            assertThat(metrics.body()).doesNotContain("gatehouse_");
            assertThat(gateway.metric("gatehouse_auth_rejections_total", "reason=\"ip_denied\""))
                    .isEqualTo(before + 2);
            assertBackendUntouched(backend);
        }
    }

    @Test
    void preflightFromADeniedAddressIsRefusedToo() throws Exception {
        try (TestGateway gateway = catchAll("ip_rules: {deny: [127.0.0.0/8]}\n"
                + "cors: {allowed_origins: [https://app.example.com]}\n")) {
            HttpResponse<String> response = SecurityFixtures.preflight(gateway, "/x", "https://app.example.com",
                    "GET");

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(errorCode(response.body())).isEqualTo("forbidden");
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            assertBackendUntouched(backend);
        }
    }

    @Test
    void allowListWithoutTheClientRefusesIt() throws Exception {
        try (TestGateway gateway = catchAll("ip_rules: {allow: [10.0.0.0/8, 192.168.0.0/16]}\n")) {
            HttpResponse<String> response = get(gateway, "/x");

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(errorCode(response.body())).isEqualTo("forbidden");
            assertBackendUntouched(backend);
        }
    }

    @Test
    void allowListWithTheClientLetsItThrough() throws Exception {
        try (TestGateway gateway = catchAll("ip_rules: {allow: [10.0.0.0/8, 127.0.0.0/8]}\n")) {
            assertThat(get(gateway, "/x").statusCode()).isEqualTo(200);
            assertThat(received(backend).getTarget()).isEqualTo("/x");
        }
    }

    @Test
    void denyWinsOverAllow() throws Exception {
        try (TestGateway gateway = catchAll("ip_rules: {allow: [127.0.0.0/8], deny: [127.0.0.1/32]}\n")) {
            assertThat(get(gateway, "/x").statusCode()).isEqualTo(403);
            assertBackendUntouched(backend);
        }
    }

    @Test
    void routeRulesOnlyAffectTheirRoute() throws Exception {
        try (TestGateway gateway = gateway("",
                route("locked", "path_prefix: /locked", backend, "ip_rules: {deny: [127.0.0.0/8]}"),
                route("allowlisted", "path_prefix: /elsewhere", backend, "ip_rules: {allow: [10.0.0.0/8]}"),
                route("open", "path_prefix: /", backend))) {
            HttpResponse<String> locked = get(gateway, "/locked/x");
            HttpResponse<String> allowlisted = get(gateway, "/elsewhere/x");
            HttpResponse<String> open = get(gateway, "/open/x");
            HttpResponse<String> metrics = get(gateway, "/metrics");

            assertThat(locked.statusCode()).isEqualTo(403);
            assertThat(errorCode(locked.body())).isEqualTo("forbidden");
            assertThat(allowlisted.statusCode()).isEqualTo(403);
            assertThat(open.statusCode()).isEqualTo(200);
            assertThat(metrics.statusCode()).as("route rules do not guard built-ins").isEqualTo(200);
            assertThat(received(backend).getTarget()).isEqualTo("/open/x");
            assertThat(backend.getRequestCount()).isEqualTo(1);
        }
    }

    @Test
    void routeAllowCannotOverrideAGlobalDeny() throws Exception {
        try (TestGateway gateway = catchAll("ip_rules: {deny: [127.0.0.1/32]}\n",
                "ip_rules: {allow: [127.0.0.0/8]}")) {
            assertThat(get(gateway, "/x").statusCode()).isEqualTo(403);
            assertBackendUntouched(backend);
        }
    }

    @Test
    void trustedProxyForwardedForIsTheClient() throws Exception {
        try (TestGateway gateway = catchAll("server: {trusted_proxies: [127.0.0.1/32]}\n"
                + "ip_rules: {deny: [10.6.6.0/24]}\n")) {
            HttpResponse<String> denied = get(gateway, "/x", "X-Forwarded-For", "10.6.6.7");
            HttpResponse<String> deniedLast = get(gateway, "/x", "X-Forwarded-For", "203.0.113.9, 10.6.6.7");

            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(errorCode(denied.body())).isEqualTo("forbidden");
            assertThat(deniedLast.statusCode()).as("rightmost untrusted entry is 10.6.6.7").isEqualTo(403);
            assertBackendUntouched(backend);
        }
    }

    @Test
    void trustedProxyClientIsTheRightmostUntrustedAddress() throws Exception {
        try (TestGateway gateway = catchAll("server: {trusted_proxies: [127.0.0.1/32]}\n"
                + "ip_rules: {deny: [10.6.6.0/24]}\n")) {
            HttpResponse<String> response = get(gateway, "/x", "X-Forwarded-For", "10.6.6.7, 203.0.113.9");

            assertThat(response.statusCode()).isEqualTo(200);
            RecordedRequest upstream = received(backend);
            assertThat(upstream.getHeaders().values("X-Forwarded-For"))
                    .containsExactly("10.6.6.7, 203.0.113.9, 127.0.0.1");
        }
    }

    @Test
    void trustedProxyForwardedForInIpv4MappedIpv6FormIsStillDenied() throws Exception {
        try (TestGateway gateway = catchAll("server: {trusted_proxies: [127.0.0.1/32]}\n"
                + "ip_rules: {deny: [10.6.6.0/24]}\n")) {
            HttpResponse<String> response = get(gateway, "/x", "X-Forwarded-For", "::ffff:10.6.6.7");

            assertThat(response.statusCode()).as("::ffff:10.6.6.7 is 10.6.6.7").isEqualTo(403);
            assertBackendUntouched(backend);
        }
    }

    @Test
    void trustedProxyWithoutForwardedForIsItselfTheClient() throws Exception {
        try (TestGateway gateway = catchAll("server: {trusted_proxies: [127.0.0.1/32]}\n"
                + "ip_rules: {deny: [127.0.0.1/32]}\n")) {
            assertThat(get(gateway, "/x").statusCode()).isEqualTo(403);
            assertThat(get(gateway, "/x", "X-Forwarded-For", "203.0.113.9").statusCode()).isEqualTo(200);
            assertThat(received(backend).getTarget()).isEqualTo("/x");
        }
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
        try (TestGateway gateway = catchAll("ip_rules: {deny: [127.0.0.1/32]}\n")) {
            HttpResponse<String> response = get(gateway, "/x", "X-Forwarded-For", "203.0.113.9");
            HttpResponse<String> metrics = get(gateway, "/metrics", "X-Forwarded-For", "203.0.113.9");

            assertThat(response.statusCode()).as("spoofed X-Forwarded-For must not unlock").isEqualTo(403);
            assertThat(metrics.statusCode()).isEqualTo(403);
            assertBackendUntouched(backend);
        }
    }

    @Test
    void forwardedForFromAnUntrustedPeerCannotFrameADeniedAddress() throws Exception {
        try (TestGateway gateway = catchAll("ip_rules: {deny: [10.6.6.0/24]}\n")) {
            HttpResponse<String> response = get(gateway, "/x", "X-Forwarded-For", "10.6.6.7");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(received(backend).getHeaders().values("X-Forwarded-For")).containsExactly("127.0.0.1");
        }
    }
}
