package io.gatehouse.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.gatehouse.config.CorsConfig;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The constructor's second line of defence behind the config binder, for everything but origins. */
class CorsPolicyValidationTest {
    private static final List<String> ORIGIN = List.of("https://app.example.com");

    @Test
    void rejectsStarAsMethod() {
        CorsConfig config = new CorsConfig(ORIGIN, List.of("GET", "*"), List.of(), List.of(), false, Duration.ZERO);

        assertThatIllegalArgumentException().isThrownBy(() -> new CorsPolicy(config))
                .withMessage("method \"*\" is not supported: list the methods instead");
    }

    @Test
    void rejectsStarAsExposedHeaderWithCredentials() {
        CorsConfig config = new CorsConfig(ORIGIN, List.of(), List.of(), List.of("*"), true, Duration.ZERO);

        assertThatIllegalArgumentException().isThrownBy(() -> new CorsPolicy(config))
                .withMessage("exposed header \"*\" is not supported: "
                        + "browsers read it as a header name when credentials are allowed");
    }

    @Test
    void sendsStarAsExposedHeaderWithoutCredentials() {
        CorsConfig config = new CorsConfig(ORIGIN, List.of(), List.of(), List.of("*"), false, Duration.ZERO);
        HttpHeaders response = new DefaultHttpHeaders();

        new CorsPolicy(config).applyToResponse("https://app.example.com", response);

        assertThat(response.get(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS)).isEqualTo("*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "X Foo", "X-Foo\r\nSet-Cookie: a=b", "X-Foo:", "X-Fö"})
    void rejectsNamesThatAreNotHttpTokens(String name) {
        CorsConfig methods = new CorsConfig(ORIGIN, List.of(name), List.of(), List.of(), false, Duration.ZERO);
        CorsConfig headers = new CorsConfig(ORIGIN, List.of(), List.of(name), List.of(), false, Duration.ZERO);
        CorsConfig exposed = new CorsConfig(ORIGIN, List.of(), List.of(), List.of(name), false, Duration.ZERO);

        assertThatIllegalArgumentException().isThrownBy(() -> new CorsPolicy(methods))
                .withMessage("method \"" + name + "\" (expected: an HTTP token)");
        assertThatIllegalArgumentException().isThrownBy(() -> new CorsPolicy(headers))
                .withMessage("allowed header \"" + name + "\" (expected: an HTTP token)");
        assertThatIllegalArgumentException().isThrownBy(() -> new CorsPolicy(exposed))
                .withMessage("exposed header \"" + name + "\" (expected: an HTTP token)");
    }

    @Test
    void trimsConfiguredNames() {
        CorsConfig config = new CorsConfig(List.of(" https://app.example.com "), List.of(" PUT "),
                List.of(" X-A "), List.of(" X-B "), false, Duration.ZERO);
        CorsPolicy policy = new CorsPolicy(config);
        HttpHeaders actual = new DefaultHttpHeaders();

        policy.applyToResponse("https://app.example.com", actual);

        assertThat(actual.get(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS)).isEqualTo("X-B");
        HttpHeaders request = new DefaultHttpHeaders().add(HttpHeaderNames.ORIGIN, "https://app.example.com")
                .add(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD, "PUT")
                .add(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS, "x-a");
        HttpHeaders preflight = new DefaultHttpHeaders();
        assertThat(policy.preflight(request, preflight)).isNull();
        assertThat(preflight.get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS)).isEqualTo("PUT");
        assertThat(preflight.get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS)).isEqualTo("X-A");
    }
}
