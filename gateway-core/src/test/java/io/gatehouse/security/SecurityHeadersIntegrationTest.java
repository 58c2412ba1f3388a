package io.gatehouse.security;

import io.gatehouse.testing.TestGateway;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;

import static io.gatehouse.security.SecurityFixtures.gateway;
import static io.gatehouse.security.SecurityFixtures.get;
import static io.gatehouse.testing.MockBackends.received;
import static io.gatehouse.security.SecurityFixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Security response headers: defaults on proxied and gateway responses, the backend's own values win,
 * {@code hide_server}, turning one off, and HSTS only for requests that came over TLS to a trusted proxy.
 */
class SecurityHeadersIntegrationTest {
    private static final String HSTS_DEFAULT = "max-age=31536000; includeSubDomains";

    private MockWebServer backend;

    @BeforeEach
    void startBackend() throws Exception {
        backend = new MockWebServer();
        backend.start(0);
    }

    @AfterEach
    void stopBackend() throws Exception {
        backend.close();
    }

    private TestGateway apiOnly(String sections) {
        return gateway(sections, route("api", "path_prefix: /api", backend));
    }

    private void backendAnswers(String... headers) {
        MockResponse.Builder response = new MockResponse.Builder().code(200).body("ok");
        for (int i = 0; i < headers.length; i += 2) {
            response.addHeader(headers[i], headers[i + 1]);
        }
        backend.enqueue(response.build());
    }

    private static void assertDefaults(HttpHeaders headers) {
        assertThat(headers.allValues("X-Content-Type-Options")).containsExactly("nosniff");
        assertThat(headers.allValues("X-Frame-Options")).containsExactly("DENY");
        assertThat(headers.allValues("Referrer-Policy")).containsExactly("strict-origin-when-cross-origin");
    }

    @Test
    void defaultsOnAProxiedResponseWithoutHsts() throws Exception {
        try (TestGateway gateway = apiOnly("")) {
            backendAnswers();

            HttpResponse<String> response = get(gateway, "/api/x");

            assertThat(response.statusCode()).isEqualTo(200);
            assertDefaults(response.headers());
            assertThat(response.headers().firstValue("Strict-Transport-Security")).isEmpty();
            received(backend);
        }
    }

    @Test
    void defaultsOnGatewayErrors() throws Exception {
        try (TestGateway gateway = gateway(SecurityFixtures.auth("[]"),
                route("api", "path_prefix: /api", backend, "auth: [api_key]"))) {
            HttpResponse<String> notFound = get(gateway, "/nowhere");
            HttpResponse<String> unauthorized = get(gateway, "/api/x");

            assertThat(notFound.statusCode()).isEqualTo(404);
            assertDefaults(notFound.headers());
            assertThat(unauthorized.statusCode()).isEqualTo(401);
            assertDefaults(unauthorized.headers());
            assertThat(backend.getRequestCount()).isZero();
        }
    }

    @Test
    void backendsOwnValuesAreKept() throws Exception {
        try (TestGateway gateway = apiOnly("")) {
            backendAnswers("X-Frame-Options", "SAMEORIGIN", "Referrer-Policy", "no-referrer");

            HttpResponse<String> response = get(gateway, "/api/x");

            assertThat(response.headers().allValues("X-Frame-Options")).containsExactly("SAMEORIGIN");
            assertThat(response.headers().allValues("Referrer-Policy")).containsExactly("no-referrer");
            assertThat(response.headers().allValues("X-Content-Type-Options")).containsExactly("nosniff");
        }
    }

    @Test
    void backendServerHeaderIsKeptByDefault() throws Exception {
        try (TestGateway gateway = apiOnly("")) {
            backendAnswers("Server", "backend/1.0");

            assertThat(get(gateway, "/api/x").headers().allValues("Server")).containsExactly("backend/1.0");
        }
    }

    @Test
    void hideServerRemovesTheBackendsServerHeader() throws Exception {
        try (TestGateway gateway = apiOnly("security_headers: {hide_server: true}\n")) {
            backendAnswers("Server", "backend/1.0");

            HttpResponse<String> response = get(gateway, "/api/x");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Server")).isEmpty();
            assertDefaults(response.headers());
        }
    }

    @Test
    void frameOptionsFalseSendsNone() throws Exception {
        try (TestGateway gateway = apiOnly("security_headers: {frame_options: false}\n")) {
            backendAnswers();

            HttpResponse<String> proxied = get(gateway, "/api/x");
            HttpResponse<String> error = get(gateway, "/nowhere");

            assertThat(proxied.headers().firstValue("X-Frame-Options")).isEmpty();
            assertThat(proxied.headers().allValues("X-Content-Type-Options")).containsExactly("nosniff");
            assertThat(error.headers().firstValue("X-Frame-Options")).isEmpty();
            assertThat(error.headers().allValues("Referrer-Policy")).containsExactly("strict-origin-when-cross-origin");
        }
    }

    @Test
    void hstsWhenATrustedProxySaysHttps() throws Exception {
        try (TestGateway gateway = apiOnly("server: {trusted_proxies: [127.0.0.1/32]}\n")) {
            backendAnswers();

            HttpResponse<String> tls = get(gateway, "/api/x", "X-Forwarded-Proto", "https");
            HttpResponse<String> tlsError = get(gateway, "/nowhere", "X-Forwarded-Proto", "https");
            HttpResponse<String> plain = get(gateway, "/nowhere", "X-Forwarded-Proto", "http");

            assertThat(tls.statusCode()).isEqualTo(200);
            assertThat(tls.headers().allValues("Strict-Transport-Security")).containsExactly(HSTS_DEFAULT);
            assertThat(tlsError.headers().allValues("Strict-Transport-Security")).containsExactly(HSTS_DEFAULT);
            assertThat(plain.headers().firstValue("Strict-Transport-Security")).isEmpty();
        }
    }

    @Test
    void noHstsWhenAnUntrustedClientSaysHttps() throws Exception {
        try (TestGateway gateway = apiOnly("")) {
            backendAnswers();

            HttpResponse<String> response = get(gateway, "/api/x", "X-Forwarded-Proto", "https");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Strict-Transport-Security")).isEmpty();
        }
    }
}
