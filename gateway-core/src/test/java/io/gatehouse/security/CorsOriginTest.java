package io.gatehouse.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.gatehouse.config.CorsConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CorsOriginTest {
    private final CorsPolicy policy = new CorsPolicy(CorsConfigs.withCredentials());

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com", "HTTPS://APP.Example.COM", "http://localhost:3000"})
    void allowsExactOriginsIgnoringTheCaseOfSchemeAndHost(String origin) {
        assertThat(policy.allowsOrigin(origin)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://app.example.com", "https://app.example.com:443", "https://app.example.com/",
            "http://localhost", "http://localhost:300", "http://localhost:30000", "http://localhost:3000/x",
            "https://app.example.co", "https://xapp.example.co"})
    void comparesOriginsAsTextWithExactPorts(String origin) {
        CorsPolicy exactOnly = new CorsPolicy(CorsConfigs.origins("https://app.example.com", "http://localhost:3000"));

        assertThat(exactOnly.allowsOrigin(origin)).isFalse();
    }

    @Test
    void foldsOnlyAsciiCaseSoUnicodeLookalikesDoNotMatch() {
        CorsPolicy kapp = new CorsPolicy(CorsConfigs.origins("https://kapp.test", "https://*.kapp.test"));

        assertThat(kapp.allowsOrigin("https://\u212Aapp.test")).isFalse(); // KELVIN SIGN, which Java folds to k
        assertThat(kapp.allowsOrigin("https://a.\u212Aapp.test")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://a.example.com", "https://a.b.example.com", "https://A.Example.COM",
            "https://x-1_y.example.com"})
    void wildcardAllowsOneOrMoreLabels(String origin) {
        assertThat(policy.allowsOrigin(origin)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com", "https://.example.com", "https://a..example.com",
            "https://example.com.evil.com", "https://evilexample.com", "http://a.example.com",
            "https://a.example.com:8443", "https://a.example.com:443", "https://a.example.com.",
            "https://evil.com/.example.com", "https://evil.com?.example.com", "https://evil.com#.example.com",
            "https://user@a.example.com", "https://evil.com:1.example.com", "https://evil.com\\.example.com",
            "https://*.example.com", "https://a example.com"})
    void wildcardRejectsBypasses(String origin) {
        assertThat(policy.allowsOrigin(origin)).isFalse();
    }

    @Test
    void wildcardWithPortNeedsThatPort() {
        CorsPolicy withPort = new CorsPolicy(CorsConfigs.origins("https://*.example.com:8443"));

        assertThat(withPort.allowsOrigin("https://a.example.com:8443")).isTrue();
        assertThat(withPort.allowsOrigin("https://a.example.com")).isFalse();
        assertThat(withPort.allowsOrigin("https://a.example.com:443")).isFalse();
        assertThat(withPort.allowsOrigin("https://a.example.com:84430")).isFalse();
    }

    @Test
    void neverAllowsTheOpaqueOriginOrNone() {
        CorsPolicy any = new CorsPolicy(CorsConfigs.anything());

        for (CorsPolicy p : List.of(policy, any)) {
            assertThat(p.allowsOrigin("null")).isFalse();
            assertThat(p.allowsOrigin(null)).isFalse();
            assertThat(p.allowsOrigin("")).isFalse();
        }
    }

    @Test
    void starAllowsAnyOtherOrigin() {
        CorsPolicy any = new CorsPolicy(CorsConfigs.anything());

        assertThat(any.allowsOrigin("https://anyone.test")).isTrue();
        assertThat(any.allowsOrigin("http://localhost:1234")).isTrue();
    }

    @Test
    void acceptsIpv6Literals() {
        CorsPolicy local = new CorsPolicy(CorsConfigs.origins("http://[::1]:8080"));

        assertThat(local.allowsOrigin("http://[::1]:8080")).isTrue();
        assertThat(local.allowsOrigin("http://[::1]")).isFalse();
    }

    @Test
    void rejectsStarWithCredentials() {
        CorsConfig config = new CorsConfig(List.of("*"), List.of(), List.of(), List.of(), true, Duration.ZERO);

        assertThatIllegalArgumentException().isThrownBy(() -> new CorsPolicy(config))
                .withMessage("allowed origin \"*\" cannot be combined with credentials");
    }

    @Test
    void rejectsStarAmongOtherOrigins() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CorsPolicy(CorsConfigs.origins("*", "https://app.example.com")))
                .withMessage("allowed origin \"*\" must be the only entry");
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "", "app.example.com", "://app.example.com", "1https://app.example.com",
            "https://", "https://app.example.com/", "https://app.example.com/path", "https://app.example.com:",
            "https://app.example.com:99999", "https://app.example.com:123456", "https://app.example.com:8a",
            "https://user@app.example.com", "https://app..example.com", "https://.example.com", "https://*",
            "https://*.", "https://*example.com", "https://a.*.example.com", "https://*.*.example.com",
            "https://*.[::1]", "http://[]", "http://[::1", "http://[xyz]", "http://[::1]x"})
    void rejectsBadOriginEntries(String entry) {
        assertThatIllegalArgumentException().isThrownBy(() -> new CorsPolicy(CorsConfigs.origins(entry)))
                .withMessage("allowed origin \"" + entry
                        + "\" (expected: scheme://host[:port], scheme://*.domain[:port] or *)");
    }
}
