package io.gatehouse.config;

import static io.gatehouse.config.Configs.DIRECT_ROUTE;
import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code security_headers:}. */
class SecurityHeadersSectionTest {
    private static final String KEYS = "content_type_options, frame_options, referrer_policy, hsts, hide_server";
    private static final String VALUE_EXPECTED = "expected a header value, or false to send none";

    private static SecurityHeadersConfig headers(String section) {
        return parse("security_headers:\n" + section.indent(2) + DIRECT_ROUTE).securityHeaders();
    }

    private static List<String> headerErrors(String section) {
        return errors("security_headers:\n" + section.indent(2) + DIRECT_ROUTE);
    }

    @Test
    void defaults() {
        SecurityHeadersConfig expected = new SecurityHeadersConfig("nosniff", "DENY",
                "strict-origin-when-cross-origin", "max-age=31536000; includeSubDomains", false);

        assertThat(SecurityHeadersConfig.DEFAULTS).isEqualTo(expected);
        assertThat(parse(DIRECT_ROUTE).securityHeaders()).isEqualTo(expected);
        assertThat(parse("security_headers:\n" + DIRECT_ROUTE).securityHeaders()).isEqualTo(expected);
        assertThat(headers("{}")).isEqualTo(expected);
    }

    @Test
    void overrides() {
        assertThat(headers("""
                content_type_options: nosniff
                frame_options: SAMEORIGIN
                referrer_policy: no-referrer
                hsts: "max-age=63072000; includeSubDomains; preload"
                hide_server: true
                """)).isEqualTo(new SecurityHeadersConfig("nosniff", "SAMEORIGIN", "no-referrer",
                "max-age=63072000; includeSubDomains; preload", true));
    }

    @Test
    void falseTurnsOneOff() {
        assertThat(headers("hsts: false")).isEqualTo(new SecurityHeadersConfig("nosniff", "DENY",
                "strict-origin-when-cross-origin", null, false));
        assertThat(headers("content_type_options: false\nframe_options: false\nreferrer_policy: false"))
                .isEqualTo(new SecurityHeadersConfig(null, null, null, "max-age=31536000; includeSubDomains", false));
    }

    @Test
    void trueIsNotAValue() {
        assertThat(headerErrors("frame_options: true")).containsExactly(
                "security_headers.frame_options: true (" + VALUE_EXPECTED + " (true is not a value))");
    }

    @Test
    void badValues() {
        assertThat(headerErrors("referrer_policy: \"\"\nhsts: [max-age=1]\nhide_server: \"yes\"")).containsExactly(
                "security_headers.referrer_policy: \"\" (" + VALUE_EXPECTED + ")",
                "security_headers.hsts: a list (" + VALUE_EXPECTED + ")",
                "security_headers.hide_server: \"yes\" (expected true or false)");
    }

    @Test
    void controlCharactersAreRejected() {
        List<String> errors = headerErrors("frame_options: \"DENY\\r\\nSet-Cookie: a=b\"\nhsts: \"max-age=1\\x7f\"");

        assertThat(errors).hasSize(2);
        String noControls = "(expected a header value without control characters, or false to send none)";
        assertThat(errors).containsExactly(
                "security_headers.frame_options: \"DENY\\r\\nSet-Cookie: a=b\" " + noControls,
                "security_headers.hsts: \"max-age=1\u007f\" " + noControls);
    }

    @Test
    void controlCharacterMessage() {
        assertThat(headerErrors("frame_options: \"DENY\\nX: y\"")).containsExactly(
                "security_headers.frame_options: \"DENY\\nX: y\" (expected a header value without control"
                        + " characters, or false to send none)");
    }

    @Test
    void booleansWrittenAsStrings() {
        assertThat(headers("frame_options: \"false\"").frameOptions()).isNull();
        assertThat(headerErrors("hsts: \"true\"")).containsExactly(
                "security_headers.hsts: \"true\" (" + VALUE_EXPECTED + " (true is not a value))");
    }

    @Test
    void unknownKeysListTheKnownOnes() {
        assertThat(headerErrors("csp: default-src 'self'")).containsExactly(
                "security_headers.csp: unknown key (expected one of: " + KEYS + ")");
        assertThat(errors("security_headers: false\n" + DIRECT_ROUTE)).containsExactly(
                "security_headers: false (expected a map with keys: " + KEYS + ")");
    }
}
