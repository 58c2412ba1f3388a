package io.gatehouse.config;

import static io.gatehouse.config.Configs.DIRECT_ROUTE;
import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code cors:} (the route-level copy is in {@link RouteSecuritySectionTest}). */
class CorsSectionTest {
    private static final String CORS_KEYS = "allowed_origins, allowed_methods, allowed_headers, exposed_headers,"
            + " allow_credentials, max_age";
    private static final String ORIGIN_EXPECTED = "expected \"*\", an origin such as https://app.example.com,"
            + " or a wildcard such as https://*.example.com";
    private static final String BAD_ORIGIN =
            "(" + ORIGIN_EXPECTED + " (no path, no trailing slash; \"null\" is never allowed))";

    private static CorsConfig cors(String section) {
        return parse("cors:\n" + section.indent(2) + DIRECT_ROUTE).cors();
    }

    private static List<String> corsErrors(String section) {
        return errors("cors:\n" + section.indent(2) + DIRECT_ROUTE);
    }

    @Test
    void absentMeansOff() {
        assertThat(parse(DIRECT_ROUTE).cors()).isNull();
        assertThat(parse("cors:\n" + DIRECT_ROUTE).cors()).isNull();
    }

    @Test
    void fullSection() {
        CorsConfig cors = cors("""
                allowed_origins: [https://app.example.com, "https://*.example.com", "http://localhost:3000"]
                allowed_methods: [GET, POST, PUT, DELETE]
                allowed_headers: [Content-Type, Authorization, X-API-Key]
                exposed_headers: [X-Request-ID]
                allow_credentials: true
                max_age: 10m
                """);

        assertThat(cors).isEqualTo(new CorsConfig(
                List.of("https://app.example.com", "https://*.example.com", "http://localhost:3000"),
                List.of("GET", "POST", "PUT", "DELETE"), List.of("Content-Type", "Authorization", "X-API-Key"),
                List.of("X-Request-ID"), true, Duration.ofMinutes(10)));
    }

    @Test
    void defaults() {
        assertThat(cors("allowed_origins: [\"*\"]")).isEqualTo(new CorsConfig(List.of("*"),
                List.of("GET", "HEAD", "POST"), List.of(), List.of(), false, Duration.ofMinutes(5)));
        assertThat(cors("allowed_origins: [\"*\"]\nallowed_headers: [\"*\"]\nmax_age: 0s")).satisfies(cors -> {
            assertThat(cors.allowedHeaders()).containsExactly("*");
            assertThat(cors.maxAge()).isEqualTo(Duration.ZERO);
        });
    }

    @Test
    void starWithCredentials() {
        assertThat(corsErrors("allowed_origins: [\"*\"]\nallow_credentials: true")).containsExactly(
                "cors.allowed_origins[0]: \"*\" (expected explicit origins when allow_credentials is true: browsers"
                        + " refuse \"*\" with credentials)");
    }

    @Test
    void starMixedWithOrigins() {
        assertThat(corsErrors("allowed_origins: [https://app.example.com, \"*\"]")).containsExactly(
                "cors.allowed_origins[1]: \"*\" (expected \"*\" alone: it already allows every origin)");
    }

    @Test
    void badOrigins() {
        assertThat(corsErrors("""
                allowed_origins:
                  - https://app.example.com/
                  - https://app.example.com/path
                  - "null"
                  - app.example.com
                  - "https://*"
                  - ""
                """)).containsExactly(
                "cors.allowed_origins[0]: \"https://app.example.com/\" " + BAD_ORIGIN,
                "cors.allowed_origins[1]: \"https://app.example.com/path\" " + BAD_ORIGIN,
                "cors.allowed_origins[2]: \"null\" " + BAD_ORIGIN,
                "cors.allowed_origins[3]: \"app.example.com\" " + BAD_ORIGIN,
                "cors.allowed_origins[4]: \"https://*\" " + BAD_ORIGIN,
                "cors.allowed_origins[5]: \"\" " + BAD_ORIGIN);
    }

    @Test
    void ipv6LiteralOriginsAreExactOrigins() {
        assertThat(cors("allowed_origins: [\"http://[::1]:3000\"]").allowedOrigins()).containsExactly("http://[::1]:3000");
        assertThat(corsErrors("allowed_origins: [\"http://*.[::1]\"]")).singleElement().asString()
                .startsWith("cors.allowed_origins[0]: \"http://*.[::1]\" (expected");
    }

    @Test
    void bareNullOriginIsAnError() {
        assertThat(corsErrors("allowed_origins: [null]")).singleElement().asString()
                .startsWith("cors.allowed_origins[0]: null (expected");
    }

    @Test
    void originsRequired() {
        assertThat(corsErrors("max_age: 1m")).containsExactly(
                "cors.allowed_origins: missing (expected a list of origins; " + ORIGIN_EXPECTED + ")");
        assertThat(corsErrors("allowed_origins: []")).containsExactly(
                "cors.allowed_origins: empty list (" + ORIGIN_EXPECTED + ")");
        assertThat(corsErrors("allowed_origins: https://app.example.com")).containsExactly(
                "cors.allowed_origins: \"https://app.example.com\" (expected a list of origins; " + ORIGIN_EXPECTED
                        + ")");
    }

    @Test
    void badTokens() {
        assertThat(corsErrors("""
                allowed_origins: [https://app.example.com]
                allowed_methods: [GET, "GE T", "P(OST"]
                allowed_headers: [X-Ok, "X Bad"]
                exposed_headers: "X-Request-ID"
                allow_credentials: "yes"
                max_age: 600
                """)).containsExactly(
                "cors.allow_credentials: \"yes\" (expected true or false)",
                "cors.allowed_methods[1]: \"GE T\" (expected a method or header name)",
                "cors.allowed_methods[2]: \"P(OST\" (expected a method or header name)",
                "cors.allowed_headers[1]: \"X Bad\" (expected a method or header name)",
                "cors.exposed_headers: \"X-Request-ID\" (expected a list of header names)",
                "cors.max_age: 600 (expected a duration such as 250ms, 2s, 1m; a plain number is ambiguous, add a unit"
                        + " as in 600s)");
    }

    @Test
    void unknownKeysListTheKnownOnes() {
        assertThat(corsErrors("allowed_origins: [\"*\"]\nallow_origins: [\"*\"]")).containsExactly(
                "cors.allow_origins: unknown key (expected one of: " + CORS_KEYS + ")");
        assertThat(errors("cors: [\"*\"]\n" + DIRECT_ROUTE)).containsExactly(
                "cors: a list (expected a map with keys: " + CORS_KEYS + ")");
    }
}
