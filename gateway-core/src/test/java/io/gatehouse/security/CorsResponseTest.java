package io.gatehouse.security;

import static io.gatehouse.security.CorsPreflightTest.headers;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CorsResponseTest {
    private final CorsPolicy policy = new CorsPolicy(CorsConfigs.withCredentials());
    private final HttpHeaders response = new DefaultHttpHeaders();

    @Test
    void allowsAConfiguredOrigin() {
        policy.applyToResponse("https://a.example.com", response);

        assertThat(headers(response)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "vary", "Origin",
                "access-control-allow-origin", "https://a.example.com",
                "access-control-allow-credentials", "true",
                "access-control-expose-headers", "X-Trace-Id"));
    }

    @Test
    void replacesCorsHeadersTheUpstreamSent() {
        response.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "https://other.test");

        policy.applyToResponse("https://app.example.com", response);

        assertThat(response.getAll(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN))
                .containsExactly("https://app.example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.test", "null", "", "https://example.com.evil.com"})
    void addsOnlyVaryForADisallowedOrigin(String origin) {
        policy.applyToResponse(origin, response);

        assertThat(headers(response)).containsExactly(Map.entry("vary", "Origin"));
    }

    @Test
    void addsOnlyVaryWithoutAnOrigin() {
        policy.applyToResponse(null, response);

        assertThat(headers(response)).containsExactly(Map.entry("vary", "Origin"));
    }

    @Test
    void starOriginAnswersStarWithoutCredentials() {
        CorsPolicy any = new CorsPolicy(CorsConfigs.anything());

        any.applyToResponse("https://x.test", response);

        assertThat(headers(response)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "vary", "Origin",
                "access-control-allow-origin", "*",
                "access-control-expose-headers", "X-Trace-Id"));
    }

    @Test
    void starOriginAddsOnlyVaryForTheOpaqueOrigin() {
        new CorsPolicy(CorsConfigs.anything()).applyToResponse("null", response);

        assertThat(headers(response)).containsExactly(Map.entry("vary", "Origin"));
    }

    @Test
    void omitsExposeHeadersAndCredentialsWhenNotConfigured() {
        new CorsPolicy(CorsConfigs.origins("https://app.example.com")).applyToResponse("https://app.example.com",
                response);

        assertThat(headers(response)).containsOnlyKeys("vary", "access-control-allow-origin");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Accept-Encoding        | Accept-Encoding, Origin",
            "accept-encoding,origin | accept-encoding,origin",
            "Accept ,\tORIGIN       | Accept ,\tORIGIN",
            "Accept, Origins        | Accept, Origins, Origin",
            "*                      | *",
            "''                     | Origin"})
    void mergesIntoAnExistingVary(String existing, String merged) {
        response.set(HttpHeaderNames.VARY, existing);

        policy.applyToResponse("https://evil.test", response);

        assertThat(response.getAll(HttpHeaderNames.VARY)).containsExactly(merged);
    }

    @Test
    void mergesRepeatedVaryHeadersIntoOne() {
        response.add(HttpHeaderNames.VARY, "Accept-Encoding").add(HttpHeaderNames.VARY, "Cookie");

        policy.applyToResponse("https://app.example.com", response);
        policy.applyToResponse("https://app.example.com", response);

        assertThat(response.getAll(HttpHeaderNames.VARY)).containsExactly("Accept-Encoding, Cookie, Origin");
    }
}
