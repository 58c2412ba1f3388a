package io.gatehouse.config;

import java.util.List;

/** Binds {@code security_headers:}; each header has a default, and {@code false} turns one off. */
final class SecurityHeadersSection {
    private static final List<String> KEYS = List.of("content_type_options", "frame_options", "referrer_policy",
            "hsts", "hide_server");
    private static final String VALUE_EXPECTED = "expected a header value, or false to send none";

    private SecurityHeadersSection() {}

    static SecurityHeadersConfig bind(Node section) {
        SecurityHeadersConfig defaults = SecurityHeadersConfig.DEFAULTS;
        if (!section.expectMap(KEYS)) {
            return defaults;
        }
        return new SecurityHeadersConfig(
                value(section.get("content_type_options"), defaults.contentTypeOptions()),
                value(section.get("frame_options"), defaults.frameOptions()),
                value(section.get("referrer_policy"), defaults.referrerPolicy()),
                value(section.get("hsts"), defaults.hsts()),
                section.get("hide_server").bool(defaults.hideServer()));
    }

    private static String value(Node node, String defaultValue) {
        if (!node.isPresent()) {
            return defaultValue;
        }
        if (node.isBooleanLike()) {
            if (node.bool(true)) {
                node.invalid(VALUE_EXPECTED + " (true is not a value)");
            }
            return null;
        }
        return node.parse(SecurityHeadersSection::headerValue, VALUE_EXPECTED);
    }

    private static String headerValue(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException(VALUE_EXPECTED);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(
                        "expected a header value without control characters, or false to send none");
            }
        }
        return text;
    }
}
