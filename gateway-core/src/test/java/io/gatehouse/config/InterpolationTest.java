package io.gatehouse.config;

import static io.gatehouse.config.Configs.DIRECT_ROUTE;
import static io.gatehouse.config.Configs.errors;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpolationTest {
    private static GatewayConfig parse(String yaml, Map<String, String> env) {
        return ConfigLoader.parse(yaml, env);
    }

    @Test
    void substitutesVariablesInsideStrings() {
        GatewayConfig config = parse("""
                routes:
                  - id: r
                    match: {path_prefix: "/${API}/v${VERSION}"}
                    upstream: "http://${UPSTREAM_HOST}:9001"
                """, Map.of("API", "users", "VERSION", "2", "UPSTREAM_HOST", "10.0.0.7"));

        assertThat(config.routes().get(0).match().pathPrefix()).isEqualTo("/users/v2");
        assertThat(config.pools().get("route:r").backends().get(0).host()).isEqualTo("10.0.0.7");
    }

    @Test
    void convertsByTypeAfterInterpolation() {
        GatewayConfig config = parse("""
                server:
                  port: ${PORT:-8081}
                  shutdown_grace: ${GRACE}
                  limits: {max_body_bytes: "${BODY}"}
                routes:
                  - id: r
                    match: {path_prefix: /}
                    upstream: http://127.0.0.1:9001
                    preserve_host: ${PRESERVE}
                """, Map.of("GRACE", "3s", "BODY", "2048", "PRESERVE", "true"));

        assertThat(config.server().port()).isEqualTo(8081);
        assertThat(config.server().shutdownGrace()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.server().limits().maxBodyBytes()).isEqualTo(2048);
        assertThat(config.routes().get(0).preserveHost()).isTrue();
    }

    @Test
    void defaultAppliesWhenUnsetOrEmptyAndValueWinsOtherwise() {
        String yaml = "server: {host: \"${HOST:-127.0.0.1}\"}\n" + DIRECT_ROUTE;

        assertThat(parse(yaml, Map.of()).server().host()).isEqualTo("127.0.0.1");
        assertThat(parse(yaml, Map.of("HOST", "")).server().host()).isEqualTo("127.0.0.1");
        assertThat(parse(yaml, Map.of("HOST", "::")).server().host()).isEqualTo("::");
    }

    @Test
    void setButEmptyVariableWithoutDefaultIsEmpty() {
        GatewayConfig config = parse("""
                routes:
                  - id: r
                    match: {path_prefix: "/api${SUFFIX}"}
                    upstream: http://127.0.0.1:9001
                """, Map.of("SUFFIX", ""));

        assertThat(config.routes().get(0).match().pathPrefix()).isEqualTo("/api");
    }

    @Test
    void doubleDollarEscapesALiteralPlaceholder() {
        GatewayConfig config = parse("""
                routes:
                  - id: r
                    match: {path_prefix: /, query: {q: "$5 $$6 $${HOME} ${HOME}"}}
                    upstream: http://127.0.0.1:9001
                """, Map.of("HOME", "/root"));

        assertThat(config.routes().get(0).match().query()).containsEntry("q", "$5 $$6 ${HOME} /root");
    }

    @Test
    void unsetVariableWithoutDefaultNamesPathAndVariable() {
        assertThat(errors("server: {port: \"${PORT}\"}\n" + DIRECT_ROUTE)).containsExactly(
                "server.port: environment variable PORT is not set (expected it to be set, or a default as in"
                        + " ${PORT:-value})");
    }

    @Test
    void eachUnsetVariableIsReportedOnceAndTheValueIsNotReportedAgain() {
        assertThat(errors("""
                routes:
                  - id: r
                    match: {path_prefix: /}
                    upstream: "http://${HOST}:${PORT}"
                """)).containsExactly(
                "routes[0].upstream: environment variable HOST is not set (expected it to be set, or a default as in"
                        + " ${HOST:-value})",
                "routes[0].upstream: environment variable PORT is not set (expected it to be set, or a default as in"
                        + " ${PORT:-value})");
    }

    @Test
    void malformedPlaceholdersAreErrors() {
        assertThat(errors("server: {host: \"${HOST\"}\n" + DIRECT_ROUTE)).containsExactly(
                "server.host: \"${HOST\" has an unterminated ${ (expected ${VAR} or ${VAR:-default}; write $${ for a"
                        + " literal ${)");
        assertThat(errors("server: {host: \"${1X}\"}\n" + DIRECT_ROUTE)).containsExactly(
                "server.host: \"${1X}\" has an invalid variable name \"1X\" (expected ${VAR} or ${VAR:-default};"
                        + " write $${ for a literal ${; a name is letters, digits and _, not starting with a digit)");
    }

    @Test
    void interpolatedValuesAreValidatedLikeWrittenOnes() {
        assertThat(errors("server: {port: \"${PORT}\"}\n" + DIRECT_ROUTE, Map.of("PORT", "eighty")))
                .containsExactly("server.port: \"eighty\" (expected an integer, 0..65535)");
    }

    @Test
    void keysAndNonStringValuesAreLeftAlone() {
        assertThat(errors("server: {\"${X}\": 1}\n" + DIRECT_ROUTE)).containsExactly(
                "server.${X}: unknown key (expected one of: port, host, trusted_proxies, shutdown_grace,"
                        + " ready_timeout, limits, timeouts, tls, http2)");
    }

    @Test
    void gatewayPortOverridesTheConfiguredPort() {
        String yaml = "server: {port: 9000}\n" + DIRECT_ROUTE;

        assertThat(parse(yaml, Map.of()).server().port()).isEqualTo(9000);
        assertThat(parse(yaml, Map.of("GATEWAY_PORT", "7000")).server().port()).isEqualTo(7000);
        assertThat(parse(yaml, Map.of("GATEWAY_PORT", "")).server().port()).isEqualTo(9000);
        assertThat(parse(DIRECT_ROUTE, Map.of("GATEWAY_PORT", "0")).server().port()).isZero();
    }

    @Test
    void gatewayPortIsValidated() {
        assertThat(errors(DIRECT_ROUTE, Map.of("GATEWAY_PORT", "65536")))
                .containsExactly("server.port (from GATEWAY_PORT): \"65536\" (expected: 0..65535)");
        assertThat(errors(DIRECT_ROUTE, Map.of("GATEWAY_PORT", "http")))
                .containsExactly("server.port (from GATEWAY_PORT): \"http\" (expected an integer, 0..65535)");
    }
}
