package io.gatehouse.security;

import io.gatehouse.testing.TestGateway;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;

import static io.gatehouse.security.SecurityFixtures.DEV_KEY;
import static io.gatehouse.testing.MockBackends.assertBackendUntouched;
import static io.gatehouse.security.SecurityFixtures.auth;
import static io.gatehouse.security.SecurityFixtures.echoBackend;
import static io.gatehouse.security.SecurityFixtures.gateway;
import static io.gatehouse.security.SecurityFixtures.get;
import static io.gatehouse.security.SecurityFixtures.preflight;
import static io.gatehouse.testing.MockBackends.received;
import static io.gatehouse.security.SecurityFixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * CORS: the gateway answers preflights itself (before auth, never reaching the backend), refuses disallowed
 * origins, and decorates actual responses, errors included, for allowed origins only. A route's own {@code cors:}
 * replaces the global one.
 */
class CorsIntegrationTest {
    private static final String APP = "https://app.example.com";
    private static final String PARTNER = "https://partner.example.org";
    private static final String CORS = "cors:\n"
            + "  allowed_origins: [https://app.example.com, \"https://*.example.com\"]\n"
            + "  allowed_methods: [GET, POST, PUT, DELETE]\n"
            + "  allowed_headers: [Content-Type, Authorization, X-API-Key]\n"
            + "  exposed_headers: [X-Request-ID]\n"
            + "  allow_credentials: true\n"
            + "  max_age: 10m\n";
    private static final String PARTNER_CORS =
            "cors: {allowed_origins: [\"https://partner.example.org\"], allowed_methods: [GET], max_age: 1m}";

    private MockWebServer backend;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        backend = echoBackend();
        gateway = gateway(auth("[]") + CORS,
                route("private", "path_prefix: /private", backend, "auth: [api_key]"),
                route("partner", "path_prefix: /partner", backend, PARTNER_CORS),
                route("public", "path_prefix: /", backend));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        backend.close();
    }

    @Test
    void preflightFromAnAllowedOriginIsAnsweredByTheGateway() throws Exception {
        HttpResponse<String> response = preflight(gateway, "/items/1", APP, "PUT",
                "Access-Control-Request-Headers", "Content-Type, X-API-Key");

        assertThat(response.statusCode()).isEqualTo(204);
        HttpHeaders headers = response.headers();
        assertThat(headers.allValues("Access-Control-Allow-Origin")).containsExactly(APP);
        assertThat(headers.firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(list(headers, "Access-Control-Allow-Methods")).contains("GET", "POST", "PUT", "DELETE");
        assertThat(list(headers, "Access-Control-Allow-Headers"))
                .map(String::toLowerCase).contains("content-type", "x-api-key");
        assertThat(headers.firstValue("Access-Control-Max-Age")).hasValue("600");
        assertThat(list(headers, "Vary")).contains("Origin");
        assertThat(headers.firstValue("X-Request-ID")).as("request ID on a preflight").isPresent();
        assertBackendUntouched(backend);
    }

    @Test
    void preflightComesBeforeAuthOnARouteThatNeedsAKey() throws Exception {
        HttpResponse<String> response = preflight(gateway, "/private/data", APP, "DELETE",
                "Access-Control-Request-Headers", "X-API-Key");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
        assertBackendUntouched(backend);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com.evil.com", "https://evilexample.com", "null",
            "http://app.example.com", "https://app.example.com.evil.com", "https://app.example.com:8443"})
    void preflightFromADisallowedOriginIs403WithoutAllowOrigin(String origin) throws Exception {
        HttpResponse<String> response = preflight(gateway, "/items/1", origin, "GET");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertBackendUntouched(backend);
    }

    @Test
    void preflightForAMethodOrHeaderNotAllowedIs403() throws Exception {
        HttpResponse<String> method = preflight(gateway, "/items/1", APP, "PATCH");
        HttpResponse<String> header = preflight(gateway, "/items/1", APP, "POST",
                "Access-Control-Request-Headers", "X-Secret");

        assertThat(method.statusCode()).isEqualTo(403);
        assertThat(method.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(header.statusCode()).isEqualTo(403);
        assertThat(header.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertBackendUntouched(backend);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://a.example.com", "https://a.b.example.com", "HTTPS://A.EXAMPLE.COM"})
    void wildcardOriginAllowsSubdomains(String origin) throws Exception {
        HttpResponse<String> response = preflight(gateway, "/items/1", origin, "POST");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().allValues("Access-Control-Allow-Origin")).containsExactly(origin);
        assertBackendUntouched(backend);
    }

    @Test
    void actualRequestFromAnAllowedOriginGetsCorsHeaders() throws Exception {
        HttpResponse<String> response = get(gateway, "/items/1", "Origin", APP);

        assertThat(response.statusCode()).isEqualTo(200);
        HttpHeaders headers = response.headers();
        assertThat(headers.allValues("Access-Control-Allow-Origin")).containsExactly(APP);
        assertThat(headers.firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(list(headers, "Access-Control-Expose-Headers")).contains("X-Request-ID");
        assertThat(list(headers, "Vary")).contains("Origin");
        RecordedRequest upstream = received(backend);
        assertThat(upstream.getTarget()).isEqualTo("/items/1");
    }

    @Test
    void actualRequestFromADisallowedOriginGetsNoAllowOriginButStillVary() throws Exception {
        HttpResponse<String> response = get(gateway, "/items/1", "Origin", "https://evilexample.com");

        assertThat(response.statusCode()).isEqualTo(200);
        HttpHeaders headers = response.headers();
        assertThat(headers.firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(headers.firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(headers.firstValue("Access-Control-Expose-Headers")).isEmpty();
        assertThat(list(headers, "Vary")).contains("Origin");
        received(backend);
    }

    @Test
    void authRejectionOnACorsRouteStillCarriesAllowOrigin() throws Exception {
        HttpResponse<String> response = get(gateway, "/private/data", "Origin", APP);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"error\":\"unauthorized\"");
        assertThat(response.headers().allValues("Access-Control-Allow-Origin")).containsExactly(APP);
        assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(list(response.headers(), "Vary")).contains("Origin");
        assertBackendUntouched(backend);
    }

    @Test
    void authorisedRequestOnACorsRouteGetsCorsHeaders() throws Exception {
        HttpResponse<String> response = get(gateway, "/private/data", "Origin", APP, "X-API-Key", DEV_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().allValues("Access-Control-Allow-Origin")).containsExactly(APP);
        assertThat(received(backend).getHeaders().values("X-Consumer-Id")).containsExactly("dev-team");
    }

    @Test
    void routeCorsReplacesTheGlobalOne() throws Exception {
        HttpResponse<String> globalOriginPreflight = preflight(gateway, "/partner/feed", APP, "GET");
        HttpResponse<String> partnerPreflight = preflight(gateway, "/partner/feed", PARTNER, "GET");
        HttpResponse<String> partnerPut = preflight(gateway, "/partner/feed", PARTNER, "PUT");
        HttpResponse<String> globalOriginGet = get(gateway, "/partner/feed", "Origin", APP);
        HttpResponse<String> partnerGet = get(gateway, "/partner/feed", "Origin", PARTNER);
        HttpResponse<String> partnerElsewhere = preflight(gateway, "/items/1", PARTNER, "GET");

        assertThat(globalOriginPreflight.statusCode()).as("global origin on the partner route").isEqualTo(403);
        assertThat(partnerPreflight.statusCode()).isEqualTo(204);
        assertThat(partnerPreflight.headers().allValues("Access-Control-Allow-Origin")).containsExactly(PARTNER);
        assertThat(partnerPreflight.headers().firstValue("Access-Control-Allow-Credentials"))
                .as("the route's cors does not allow credentials").isEmpty();
        assertThat(partnerPreflight.headers().firstValue("Access-Control-Max-Age")).hasValue("60");
        assertThat(partnerPut.statusCode()).as("PUT is only in the global cors").isEqualTo(403);
        assertThat(globalOriginGet.statusCode()).isEqualTo(200);
        assertThat(globalOriginGet.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(partnerGet.headers().allValues("Access-Control-Allow-Origin")).containsExactly(PARTNER);
        assertThat(partnerElsewhere.statusCode()).as("partner origin on a route with the global cors")
                .isEqualTo(403);
        assertThat(backend.getRequestCount()).as("only the two actual GETs reach the backend").isEqualTo(2);
    }

    @Test
    void optionsWithoutRequestMethodIsNotAPreflightAndIsProxied() throws Exception {
        HttpResponse<String> response = SecurityFixtures.send(SecurityFixtures.request(gateway, "/items/1",
                "Origin", APP).method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(received(backend).getMethod()).isEqualTo("OPTIONS");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
    }

    /** Every element of a comma-separated, possibly repeated header. */
    private static List<String> list(HttpHeaders headers, String name) {
        return headers.allValues(name).stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
