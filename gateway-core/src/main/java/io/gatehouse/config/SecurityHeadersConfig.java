package io.gatehouse.config;

/**
 * {@code security_headers:}, added to every response that does not already carry them. A {@code null} value
 * sends nothing.
 *
 * @param hsts       {@code Strict-Transport-Security}, sent only on requests that arrived over TLS (directly, or
 *                   at a trusted proxy that says so in {@code X-Forwarded-Proto})
 * @param hideServer remove the upstream's {@code Server} header
 */
public record SecurityHeadersConfig(String contentTypeOptions, String frameOptions, String referrerPolicy,
                                    String hsts, boolean hideServer) {
    public static final SecurityHeadersConfig DEFAULTS = new SecurityHeadersConfig("nosniff", "DENY",
            "strict-origin-when-cross-origin", "max-age=31536000; includeSubDomains", false);
}
