package io.gatehouse.config;

import static io.gatehouse.config.Configs.DIRECT_ROUTE;
import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminSectionTest {
    private static final String TOKEN = "0123456789abcdef0123";

    private static AdminConfig admin(String section) {
        return parse("admin:\n" + section.indent(2) + DIRECT_ROUTE).admin();
    }

    private static List<String> adminErrors(String section) {
        return errors("admin:\n" + section.indent(2) + DIRECT_ROUTE);
    }

    @Test
    void offWhenAbsent() {
        assertThat(parse(DIRECT_ROUTE).admin()).isNull();
    }

    @Test
    void addressAndTokenFromTheEnvironment() {
        AdminConfig admin = ConfigLoader.parse("admin:\n  address: 10.0.0.5:9901\n  token: ${GATEHOUSE_ADMIN_TOKEN}\n"
                + DIRECT_ROUTE, Map.of("GATEHOUSE_ADMIN_TOKEN", TOKEN)).admin();
        assertThat(admin).isEqualTo(new AdminConfig("10.0.0.5", 9901, TOKEN, false));
        assertThat(admin.address()).isEqualTo("10.0.0.5:9901");
        assertThat(admin.toString()).doesNotContain(TOKEN);
        assertThat(admin("address: \"[::1]:0\"\ntoken: " + TOKEN)).isEqualTo(new AdminConfig("::1", 0, TOKEN, false));
        assertThat(admin("address: \"[::1]:9901\"\ntoken: " + TOKEN).address()).isEqualTo("[::1]:9901");
    }

    @Test
    void addressIsRequiredAndChecked() {
        String expected = "expected host:port such as 127.0.0.1:9901 or [::1]:9901";
        assertThat(adminErrors("token: " + TOKEN)).containsExactly("admin.address: missing (" + expected + ")");
        assertThat(adminErrors("address: 9901\ntoken: " + TOKEN)).containsExactly(
                "admin.address: 9901 (" + expected + ")");
        assertThat(adminErrors("address: \"::1:9901\"\ntoken: " + TOKEN)).containsExactly(
                "admin.address: \"::1:9901\" (" + expected + ")");
        assertThat(adminErrors("address: \"127.0.0.1:99999\"\ntoken: " + TOKEN)).containsExactly(
                "admin.address: \"127.0.0.1:99999\" (expected a port 0..65535 after the host, such as 127.0.0.1:9901)");
        assertThat(adminErrors("adress: 127.0.0.1:9901")).contains(
                "admin.adress: unknown key (expected one of: address, token, allow_unauthenticated_loopback)");
    }

    @Test
    void neverTheGatewaysOwnListener() {
        String sameAsGateway = "(expected an address other than the gateway's own listener, server.host 0.0.0.0 and"
                + " server.port 8081)";
        assertThat(adminErrors("address: 127.0.0.1:8081\ntoken: " + TOKEN)).containsExactly(
                "admin.address: \"127.0.0.1:8081\" " + sameAsGateway);
        assertThat(errors("server: {host: 127.0.0.1, port: 9000}\nadmin: {address: \"0.0.0.0:9000\", token: " + TOKEN
                + "}\n" + DIRECT_ROUTE)).containsExactly("admin.address: \"0.0.0.0:9000\" (expected an address other"
                + " than the gateway's own listener, server.host 127.0.0.1 and server.port 9000)");
        // Another address on the same port is another listener; port 0 picks a free port for each.
        assertThat(parse("server: {host: 10.0.0.5, port: 9000}\nadmin: {address: \"127.0.0.1:9000\", token: " + TOKEN
                + "}\n" + DIRECT_ROUTE).admin().port()).isEqualTo(9000);
        assertThat(ConfigLoader.parse("admin: {address: \"127.0.0.1:0\", token: " + TOKEN + "}\n" + DIRECT_ROUTE,
                Map.of("GATEWAY_PORT", "0")).admin().port()).isZero();
    }

    @Test
    void aTokenIsRequiredUnlessLoopbackIsExplicitlyOpen() {
        String expected = "(expected a bearer token of at least 16 characters such as ${GATEHOUSE_ADMIN_TOKEN}; only a"
                + " loopback address may go without one, with allow_unauthenticated_loopback: true)";
        assertThat(adminErrors("address: 127.0.0.1:9901")).containsExactly("admin.token: missing " + expected);
        assertThat(errors("admin: {address: \"127.0.0.1:9901\", token: \"${T:-}\"}\n" + DIRECT_ROUTE))
                .containsExactly("admin.token: empty " + expected);
        assertThat(admin("address: 127.0.0.1:9901\nallow_unauthenticated_loopback: true"))
                .isEqualTo(new AdminConfig("127.0.0.1", 9901, null, true));
        assertThat(admin("address: localhost:9901\nallow_unauthenticated_loopback: true").token()).isNull();
        assertThat(admin("address: \"[::1]:9901\"\nallow_unauthenticated_loopback: true").token()).isNull();
        assertThat(adminErrors("address: 10.0.0.5:9901\nallow_unauthenticated_loopback: true")).containsExactly(
                "admin.allow_unauthenticated_loopback: allowed only when admin.address is a loopback address such"
                        + " as 127.0.0.1:9901",
                "admin.token: missing " + expected);
        assertThat(adminErrors("address: 0.0.0.0:9901\nallow_unauthenticated_loopback: true\ntoken: " + TOKEN))
                .containsExactly("admin.allow_unauthenticated_loopback: allowed only when admin.address is a"
                        + " loopback address such as 127.0.0.1:9901");
    }

    @Test
    void aShortTokenIsRefusedWithoutShowingIt() {
        List<String> errors = adminErrors("address: 127.0.0.1:9901\ntoken: hunter2-secret");
        assertThat(errors).containsExactly("admin.token: too short: 14 characters (expected at least 16, such as the"
                + " output of openssl rand -hex 32)");
        assertThat(String.join("\n", errors)).doesNotContain("hunter2");
    }
}
