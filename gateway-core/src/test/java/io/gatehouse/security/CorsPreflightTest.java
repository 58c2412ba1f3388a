package io.gatehouse.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.CorsConfig;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CorsPreflightTest {
    private static final String APP = "https://app.example.com";
    private static final String PREFLIGHT_VARY =
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";

    private final CorsPolicy policy = new CorsPolicy(CorsConfigs.withCredentials());
    private final HttpHeaders response = new DefaultHttpHeaders();

    @Test
    void optionsWithOriginAndRequestMethodIsAPreflight() {
        HttpRequest request = request(HttpMethod.OPTIONS, APP, "PUT");

        assertThat(CorsPolicy.isPreflight(request)).isTrue();
        assertThat(CorsPolicy.requestedMethod(request)).isEqualTo("PUT");
    }

    @Test
    void otherRequestsAreNotPreflights() {
        assertThat(CorsPolicy.isPreflight(request(HttpMethod.OPTIONS, APP, null))).isFalse();
        assertThat(CorsPolicy.isPreflight(request(HttpMethod.OPTIONS, null, "PUT"))).isFalse();
        assertThat(CorsPolicy.isPreflight(request(HttpMethod.GET, APP, "PUT"))).isFalse();
        assertThat(CorsPolicy.requestedMethod(request(HttpMethod.OPTIONS, APP, null))).isNull();
    }

    @Test
    void requestedMethodIsTrimmed() {
        assertThat(CorsPolicy.requestedMethod(request(HttpMethod.OPTIONS, APP, " DELETE\t"))).isEqualTo("DELETE");
    }

    @Test
    void answersAnAllowedPreflight() {
        String reason = policy.preflight(preflight(APP, "PUT", "content-type"), response);

        assertThat(reason).isNull();
        assertThat(headers(response)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "vary", PREFLIGHT_VARY,
                "access-control-allow-origin", APP,
                "access-control-allow-methods", "PUT, DELETE",
                "access-control-allow-headers", "Content-Type, X-Request-Id",
                "access-control-allow-credentials", "true",
                "access-control-max-age", "600"));
    }

    @Test
    void echoesTheRequestOriginAsSent() {
        assertThat(policy.preflight(preflight("https://A.b.Example.com", "PUT", null), response)).isNull();

        assertThat(response.get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo("https://A.b.Example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.test", "null", "https://example.com"})
    void refusesADisallowedOriginWithOnlyVary(String origin) {
        assertThat(policy.preflight(preflight(origin, "PUT", null), response)).isEqualTo("origin not allowed");

        assertThat(headers(response)).containsExactly(Map.entry("vary", PREFLIGHT_VARY));
    }

    @Test
    void refusesAMethodNotConfigured() {
        assertThat(policy.preflight(preflight(APP, "PATCH", null), response)).isEqualTo("method PATCH not allowed");

        assertThat(headers(response)).containsExactly(Map.entry("vary", PREFLIGHT_VARY));
    }

    @Test
    void comparesMethodsCaseSensitivelyAfterTrimming() {
        assertThat(policy.preflight(preflight(APP, "put", null), response)).isEqualTo("method put not allowed");
        assertThat(policy.preflight(preflight(APP, " DELETE ", null), new DefaultHttpHeaders())).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "POST"})
    void alwaysAllowsSafelistedMethods(String method) {
        CorsPolicy noMethods = new CorsPolicy(CorsConfigs.origins(APP));

        assertThat(noMethods.preflight(preflight(APP, method, null), response)).isNull();
        assertThat(response.contains(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS)).isFalse();
    }

    @Test
    void refusesARequestHeaderNotConfigured() {
        String reason = policy.preflight(preflight(APP, "PUT", "Content-Type, X-Foo"), response);

        assertThat(reason).isEqualTo("header X-Foo not allowed");
        assertThat(headers(response)).containsExactly(Map.entry("vary", PREFLIGHT_VARY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "content-type", "X-REQUEST-ID,content-type", " x-request-id ,\tContent-Type ",
            "content-type,,", ",x-request-id"})
    void matchesRequestedHeadersIgnoringCaseAndWhitespace(String requested) {
        assertThat(policy.preflight(preflight(APP, "PUT", requested), response)).isNull();
    }

    @Test
    void refusesRequestedHeadersThatOnlyContainAConfiguredOne() {
        assertThat(policy.preflight(preflight(APP, "PUT", "Content-Type-X"), response))
                .isEqualTo("header Content-Type-X not allowed");
        assertThat(policy.preflight(preflight(APP, "PUT", "Content"), new DefaultHttpHeaders()))
                .isEqualTo("header Content not allowed");
    }

    @Test
    void starHeadersEchoTheRequestedHeaders() {
        CorsPolicy any = new CorsPolicy(CorsConfigs.anything());

        assertThat(any.preflight(preflight("https://x.test", "PUT", " X-Foo, authorization "), response)).isNull();

        assertThat(headers(response)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "vary", PREFLIGHT_VARY,
                "access-control-allow-origin", "*",
                "access-control-allow-methods", "PUT",
                "access-control-allow-headers", "X-Foo, authorization"));
    }

    @Test
    void starHeadersSendNoneWhenNoneRequested() {
        CorsPolicy any = new CorsPolicy(CorsConfigs.anything());

        assertThat(any.preflight(preflight("https://x.test", "PUT", " "), response)).isNull();

        assertThat(response.contains(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS)).isFalse();
    }

    @Test
    void starHeadersRefuseMalformedNames() {
        CorsPolicy any = new CorsPolicy(CorsConfigs.anything());

        assertThat(any.preflight(preflight("https://x.test", "PUT", "X-Foo, a b"), response))
                .isEqualTo("header a b not allowed");
    }

    @Test
    void starOriginNeverAllowsTheOpaqueOrigin() {
        CorsPolicy any = new CorsPolicy(CorsConfigs.anything());

        assertThat(any.preflight(preflight("null", "PUT", null), response)).isEqualTo("origin not allowed");
    }

    @Test
    void omitsCredentialsAndMaxAgeWhenNotConfigured() {
        CorsConfig plain = new CorsConfig(List.of(APP), List.of("PUT"), List.of(), List.of(), false,
                Duration.ofMillis(999));

        assertThat(new CorsPolicy(plain).preflight(preflight(APP, "PUT", null), response)).isNull();

        assertThat(headers(response)).containsOnlyKeys("vary", "access-control-allow-origin",
                "access-control-allow-methods");
    }

    @Test
    void treatsAMissingMaxAgeAsNone() {
        CorsConfig noAge = new CorsConfig(List.of(APP), List.of(), List.of(), List.of(), false, null);

        assertThat(new CorsPolicy(noAge).preflight(preflight(APP, "GET", null), response)).isNull();

        assertThat(response.contains(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE)).isFalse();
    }

    @Test
    void mergesIntoAnExistingVary() {
        response.set(HttpHeaderNames.VARY, "origin");

        policy.preflight(preflight("https://evil.test", "PUT", null), response);

        assertThat(response.getAll(HttpHeaderNames.VARY))
                .containsExactly("origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    }

    /**
     * Netty's HTTP/1 decoder trims header values and its validating headers refuse untrimmed ones, but other
     * sources need not: lenient headers let the tests show that surrounding whitespace is tolerated.
     */
    private static HttpRequest request(HttpMethod method, String origin, String requestMethod) {
        HttpHeaders lenient = DefaultHttpHeadersFactory.headersFactory().withValueValidation(false).newHeaders();
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, "/api", lenient);
        if (origin != null) {
            request.headers().set(HttpHeaderNames.ORIGIN, origin);
        }
        if (requestMethod != null) {
            request.headers().set(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD, requestMethod);
        }
        return request;
    }

    private static HttpHeaders preflight(String origin, String method, String requestHeaders) {
        HttpHeaders headers = request(HttpMethod.OPTIONS, origin, method).headers();
        if (requestHeaders != null) {
            headers.set(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS, requestHeaders);
        }
        return headers;
    }

    /** Lower-cased names to values; fails on a repeated header, which browsers reject for CORS headers. */
    static Map<String, String> headers(HttpHeaders headers) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        headers.forEach(e -> assertThat(out.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()))
                .as("repeated %s", e.getKey()).isNull());
        return out;
    }
}
