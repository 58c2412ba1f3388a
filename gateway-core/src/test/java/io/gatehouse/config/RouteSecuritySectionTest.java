package io.gatehouse.config;

import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A route's own {@code auth}, {@code roles}, {@code cors} and {@code ip_rules}. */
class RouteSecuritySectionTest {
    private static final String METHODS_EXPECTED = "expected a list of: api_key, jwt, mtls ([] for public)";
    private static final String ROLES_NEED_AUTH =
            "expected an auth method to take roles from: set auth on the route or auth.default";
    private static final String BOTH_METHODS = """
            auth:
              default: [api_key]
              api_keys: {keys: [{id: a, key: dev-team-key-0123456789}]}
              jwt: {jwks_url: "https://idp.example.com/certs"}
            """;
    private static final String PUBLIC_DEFAULT = """
            auth:
              default: []
              api_keys: {keys: [{id: a, key: dev-team-key-0123456789}]}
            """;

    /** A single route r with the given extra keys. */
    private static String route(String keys) {
        return """
                routes:
                  - id: r
                    match: {path_prefix: /}
                    upstream: http://127.0.0.1:9001
                """ + keys.indent(4);
    }

    private static RouteSecurity security(String yaml) {
        return parse(yaml).routes().get(0).security();
    }

    @Test
    void routeWithoutSecurityKeysInherits() {
        assertThat(security(BOTH_METHODS + route(""))).isEqualTo(RouteSecurity.INHERIT);
        assertThat(security(route(""))).isEqualTo(RouteSecurity.INHERIT);
    }

    @Test
    void fullRouteSecurity() {
        RouteSecurity security = security(BOTH_METHODS + route("""
                auth: [jwt, api_key]
                roles: [admin, ops]
                cors: {allowed_origins: [https://admin.example.com]}
                ip_rules: {allow: [10.0.0.0/8], deny: ["::1"]}
                """));

        assertThat(security.auth()).containsExactly(AuthMethod.JWT, AuthMethod.API_KEY);
        assertThat(security.roles()).containsExactly("admin", "ops");
        assertThat(security.cors()).isEqualTo(new CorsConfig(List.of("https://admin.example.com"),
                List.of("GET", "HEAD", "POST"), List.of(), List.of(), false, Duration.ofMinutes(5)));
        assertThat(security.ipRules().allow()).map(Cidr::toString).containsExactly("10.0.0.0/8");
        assertThat(security.ipRules().deny()).map(Cidr::toString).containsExactly("::1");
    }

    @Test
    void emptyAuthMakesARoutePublic() {
        assertThat(security(BOTH_METHODS + route("auth: []")).auth()).isEmpty();
        assertThat(security(route("auth: []")).auth()).isEmpty();
    }

    @Test
    void rolesUseTheDefaultMethods() {
        RouteSecurity security = security(BOTH_METHODS + route("roles: [admin]"));

        assertThat(security.auth()).isNull();
        assertThat(security.roles()).containsExactly("admin");
        assertThat(security(PUBLIC_DEFAULT + route("auth: [api_key]\nroles: [admin]")).roles())
                .containsExactly("admin");
    }

    @Test
    void rolesOnAPublicRoute() {
        assertThat(errors(BOTH_METHODS + route("auth: []\nroles: [admin]"))).containsExactly(
                "routes[0].roles: a list (" + ROLES_NEED_AUTH + ")");
        assertThat(errors(PUBLIC_DEFAULT + route("roles: [admin]"))).containsExactly(
                "routes[0].roles: a list (" + ROLES_NEED_AUTH + ")");
        assertThat(errors(route("roles: [admin]"))).containsExactly(
                "routes[0].roles: a list (" + ROLES_NEED_AUTH + ")");
        assertThat(errors(BOTH_METHODS + route("roles: admin"))).containsExactly(
                "routes[0].roles: \"admin\" (expected a list of role names, any one of which is required)");
    }

    @Test
    void unknownMethod() {
        assertThat(errors(BOTH_METHODS + route("auth: [basic, jwt]"))).containsExactly(
                "routes[0].auth[0]: \"basic\" (" + METHODS_EXPECTED + ")");
        assertThat(errors(BOTH_METHODS + route("auth: jwt"))).containsExactly(
                "routes[0].auth: \"jwt\" (" + METHODS_EXPECTED + ")");
    }

    @Test
    void methodNotConfigured() {
        assertThat(errors(PUBLIC_DEFAULT + route("auth: [jwt]"))).containsExactly(
                "routes[0].auth[0]: \"jwt\" (expected a configured method: add auth.jwt)");
        assertThat(errors(route("auth: [api_key]"))).containsExactly(
                "routes[0].auth[0]: \"api_key\" (expected a configured method: add auth.api_keys)");
    }

    @Test
    void duplicateMethod() {
        assertThat(errors(BOTH_METHODS + route("auth: [jwt, jwt]"))).containsExactly(
                "routes[0].auth[1]: \"jwt\" (expected each method once)");
    }

    @Test
    void routeCorsAndIpRulesAreValidatedWithTheirPath() {
        assertThat(errors(route("cors: {allow_credentials: true}\nip_rules: {allow: [10.0.0.0/33], block: []}")))
                .containsExactly(
                        "routes[0].cors.allowed_origins: missing (expected a list of origins; expected \"*\", an origin"
                                + " such as https://app.example.com, or a wildcard such as https://*.example.com)",
                        "routes[0].ip_rules.block: unknown key (expected one of: allow, deny)",
                        "routes[0].ip_rules.allow[0]: \"10.0.0.0/33\" (expected: prefix length 0..32)");
    }

    @Test
    void nullRouteMethodIsAnError() {
        assertThat(errors(BOTH_METHODS + route("auth: [null]"))).singleElement().asString()
                .startsWith("routes[0].auth[0]: null (expected");
    }

    @Test
    void nullRoleIsAnError() {
        assertThat(errors(BOTH_METHODS + route("roles: [null]"))).singleElement().asString()
                .startsWith("routes[0].roles[0]: null (expected");
    }

    @Test
    void badRouteMethodDoesNotAlsoBlameTheRoles() {
        assertThat(errors(BOTH_METHODS + route("auth: [basic]\nroles: [admin]"))).containsExactly(
                "routes[0].auth[0]: \"basic\" (" + METHODS_EXPECTED + ")");
    }
}
