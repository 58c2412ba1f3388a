package io.gatehouse.config;

import static io.gatehouse.config.Configs.DIRECT_ROUTE;
import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSectionTest {
    private static ServerConfig server(String section) {
        return parse("server:\n" + section.indent(2) + DIRECT_ROUTE).server();
    }

    private static List<String> serverErrors(String section) {
        return errors("server:\n" + section.indent(2) + DIRECT_ROUTE);
    }

    @Test
    void unknownKeysListTheKnownOnes() {
        assertThat(serverErrors("limts: {}")).containsExactly(
                "server.limts: unknown key (expected one of: port, host, trusted_proxies, shutdown_grace,"
                        + " ready_timeout, limits, timeouts, tls, http2)");
        assertThat(serverErrors("limits: {max_body: 1}")).containsExactly(
                "server.limits.max_body: unknown key (expected one of: max_initial_line, max_header_bytes,"
                        + " max_body_bytes, max_headers)");
        assertThat(serverErrors("timeouts: {read: 1s}")).containsExactly(
                "server.timeouts.read: unknown key (expected one of: request_header, idle, request_body, send,"
                        + " discard_body)");
    }

    @Test
    void wrongContainerTypes() {
        assertThat(errors("server: [8080]\n" + DIRECT_ROUTE)).containsExactly(
                "server: a list (expected a map with keys: port, host, trusted_proxies, shutdown_grace,"
                        + " ready_timeout, limits, timeouts, tls, http2)");
        assertThat(serverErrors("limits: 10MiB")).containsExactly(
                "server.limits: \"10MiB\" (expected a map with keys: max_initial_line, max_header_bytes,"
                        + " max_body_bytes, max_headers)");
        assertThat(serverErrors("trusted_proxies: 10.0.0.0/8")).containsExactly(
                "server.trusted_proxies: \"10.0.0.0/8\" (expected a list of CIDRs such as [10.0.0.0/8, ::1/128])");
    }

    @Test
    void port() {
        assertThat(server("port: 0").port()).isZero();
        assertThat(server("port: \"8080\"").port()).isEqualTo(8080);
        assertThat(serverErrors("port: 70000")).containsExactly("server.port: 70000 (expected: 0..65535)");
        assertThat(serverErrors("port: -1")).containsExactly("server.port: -1 (expected: 0..65535)");
        assertThat(serverErrors("port: 80.5")).containsExactly("server.port: 80.5 (expected an integer, 0..65535)");
        assertThat(serverErrors("port: [80]")).containsExactly("server.port: a list (expected an integer, 0..65535)");
        assertThat(serverErrors("port: 99999999999999999999"))
                .containsExactly("server.port: 99999999999999999999 (expected: 0..65535)");
    }

    @Test
    void host() {
        assertThat(server("host: \"::\"").host()).isEqualTo("::");
        assertThat(server("host: gateway.local").host()).isEqualTo("gateway.local");
        assertThat(serverErrors("host: \"0.0.0.0:80\"")).containsExactly(
                "server.host: \"0.0.0.0:80\" (expected an address or host name to bind, such as 0.0.0.0 or ::)");
        assertThat(serverErrors("host: true")).containsExactly(
                "server.host: true (expected an address or host name to bind, such as 0.0.0.0 or ::)");
    }

    @Test
    void trustedProxies() throws Exception {
        ServerConfig server = server("trusted_proxies: [10.0.0.0/8, \"::1\"]");

        assertThat(server.trustedProxies()).map(Cidr::toString).containsExactly("10.0.0.0/8", "::1");
        assertThat(server.trustedProxies().get(0).contains(InetAddress.getByName("10.1.2.3"))).isTrue();
        assertThat(serverErrors("trusted_proxies: [10.0.0.0/33, 10, localhost]")).containsExactly(
                "server.trusted_proxies[0]: \"10.0.0.0/33\" (expected: prefix length 0..32)",
                "server.trusted_proxies[1]: \"10\" (expected: an IP address or CIDR such as 10.0.0.0/8)",
                "server.trusted_proxies[2]: \"localhost\" (expected: an IP address or CIDR such as 10.0.0.0/8)");
    }

    @Test
    void durations() {
        ServerConfig server = server("shutdown_grace: 0s\ntimeouts: {request_header: 1.5s, idle: 5m,"
                + " request_body: 20s, send: 30s, discard_body: 500ms}");

        assertThat(server.shutdownGrace()).isEqualTo(Duration.ZERO);
        assertThat(server.timeouts()).isEqualTo(new ServerConfig.Timeouts(Duration.ofMillis(1500),
                Duration.ofMinutes(5), Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofMillis(500)));
        assertThat(serverErrors("timeouts: {idle: 5 minutes}")).containsExactly(
                "server.timeouts.idle: \"5 minutes\" (expected a duration such as 250ms, 2s, 1m)");
        assertThat(serverErrors("shutdown_grace: 10")).containsExactly(
                "server.shutdown_grace: 10 (expected a duration such as 250ms, 2s, 1m; a plain number is ambiguous,"
                        + " add a unit as in 10s)");
        assertThat(serverErrors("timeouts: {request_header: 0s, idle: 0ms, request_body: 0s, send: 0s,"
                + " discard_body: 0s}")).containsExactly(
                "server.timeouts.request_header: \"0s\" (expected a duration greater than 0)",
                "server.timeouts.idle: \"0ms\" (expected a duration greater than 0)",
                "server.timeouts.request_body: \"0s\" (expected a duration greater than 0)",
                "server.timeouts.send: \"0s\" (expected a duration greater than 0)",
                "server.timeouts.discard_body: \"0s\" (expected a duration greater than 0)");
        assertThat(serverErrors("timeouts: {send: 1 minute}")).containsExactly(
                "server.timeouts.send: \"1 minute\" (expected a duration such as 250ms, 2s, 1m)");
    }

    @Test
    void readyTimeoutDefaultsToTenSecondsAndMayBeZero() {
        assertThat(server("port: 1").readyTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(server("ready_timeout: 0s").readyTimeout()).isEqualTo(Duration.ZERO);
        assertThat(server("ready_timeout: 1m").readyTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(serverErrors("ready_timeout: soon")).containsExactly(
                "server.ready_timeout: \"soon\" (expected a duration such as 250ms, 2s, 1m)");
    }

    @Test
    void limits() {
        ServerConfig.Limits limits = server(
                "limits: {max_initial_line: 256, max_header_bytes: 1MiB, max_body_bytes: 0, max_headers: 20}").limits();

        assertThat(limits).isEqualTo(new ServerConfig.Limits(256, 1024 * 1024, 0, 20));
        assertThat(server("limits: {max_body_bytes: 8GiB}").limits().maxBodyBytes()).isEqualTo(8L << 30);
        assertThat(serverErrors("limits: {max_initial_line: 255B, max_header_bytes: 2GiB, max_body_bytes: -1}"))
                .containsExactly(
                        "server.limits.max_initial_line: \"255B\" (expected: 256..2147483647 bytes)",
                        "server.limits.max_header_bytes: \"2GiB\" (expected: 256..2147483647 bytes)",
                        "server.limits.max_body_bytes: -1 (expected: at least 0 bytes)");
        assertThat(server("limits: {}").limits().maxHeaders()).as("Envoy's default").isEqualTo(100);
        assertThat(serverErrors("limits: {max_headers: 0}")).containsExactly(
                "server.limits.max_headers: 0 (expected: 1..10000)");
        assertThat(serverErrors("limits: {max_headers: 10001}")).containsExactly(
                "server.limits.max_headers: 10001 (expected: 1..10000)");
        assertThat(serverErrors("limits: {max_headers: 1KiB}")).containsExactly(
                "server.limits.max_headers: \"1KiB\" (expected an integer, 1..10000)");
        assertThat(serverErrors("limits: {max_body_bytes: 10 MB}")).containsExactly(
                "server.limits.max_body_bytes: \"10 MB\" (expected a size such as 512B, 16KiB, 10MiB, 1GB or a number"
                        + " of bytes)");
    }
}
