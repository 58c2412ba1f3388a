package io.gatehouse.config;

import static io.gatehouse.config.Configs.DIRECT_ROUTE;
import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.gatehouse.reload.FileConfigSource;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @Test
    void fullConfigBindsEveryKey() throws Exception {
        GatewayConfig config = ConfigLoader.load(new FileConfigSource(resource("full.yml")));

        HealthCheckConfig health = new HealthCheckConfig("/health", Duration.ofSeconds(2), Duration.ofSeconds(1), 3, 4,
                200, 399);
        PoolConfig users = new PoolConfig("users", PoolConfig.Strategy.WEIGHTED_ROUND_ROBIN, List.of(
                new BackendConfig("http://127.0.0.1:9001", "127.0.0.1", 9001, 3),
                new BackendConfig("http://127.0.0.1:9003", "127.0.0.1", 9003, 1),
                new BackendConfig("http://[::1]:9004/", "::1", 9004, 1)),
                64, 0, Duration.ofSeconds(15),
                new TimeoutsConfig(Duration.ofMillis(500), Duration.ofSeconds(20), Duration.ofSeconds(45),
                        Duration.ofMinutes(1)),
                health,
                new BackendProtection(100,
                        new CircuitBreakerConfig(40, 10, Duration.ofSeconds(5), 0, Duration.ofSeconds(15), 2),
                        new OutlierDetectionConfig(3, Duration.ofSeconds(10), Duration.ofMinutes(2), 34), null), null, null, UpstreamProtocol.HTTP1);
        PoolConfig inventory = new PoolConfig("inventory", PoolConfig.Strategy.ROUND_ROBIN,
                List.of(new BackendConfig("http://inventory.internal", "inventory.internal", 80, 1),
                        new BackendConfig("http://inventory-2.internal", "inventory-2.internal", 80, 1)),
                256, 1024, Duration.ofSeconds(20), TimeoutsConfig.DEFAULTS, null, new BackendProtection(null, null,
                        null, new ConnectFailureEjectionConfig(Duration.ofSeconds(2), Duration.ofMinutes(1))), null, null,
                UpstreamProtocol.HTTP1);
        RetryConfig retry = new RetryConfig(3, EnumSet.allOf(RetryConfig.Condition.class), Duration.ofMillis(10),
                Duration.ofMillis(100), false, 10, 0, Set.of("POST", "PATCH"));
        PoolConfig health1 = directPool("health", new BackendConfig("http://127.0.0.1:9002", "127.0.0.1", 9002, 1));
        PoolConfig legacy = directPool("legacy", new BackendConfig("http://localhost", "localhost", 80, 1));

        assertThat(config.server().host()).isEqualTo("127.0.0.1");
        assertThat(config.server().port()).isEqualTo(9090);
        assertThat(config.server().trustedProxies()).map(Cidr::toString)
                .containsExactly("127.0.0.1/32", "10.0.0.0/8", "::1/128");
        assertThat(config.server().shutdownGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.server().limits()).isEqualTo(new ServerConfig.Limits(4096, 32768, 1_000_000, 100));
        assertThat(config.server().timeouts())
                .isEqualTo(new ServerConfig.Timeouts(Duration.ofSeconds(5), Duration.ofMinutes(2),
                        Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(5)));
        assertThat(config.pools()).containsExactly(
                Map.entry("users", users), Map.entry("inventory", inventory),
                Map.entry("route:health", health1), Map.entry("route:legacy", legacy));
        assertThat(config.routes()).containsExactly(
                new RouteConfig("users", new MatchConfig(null, "/users", null, null, List.of("GET", "POST"),
                        Map.of("x-api-version", "2", "authorization", "", "x-trace", "~^[0-9a-f]{16}$"),
                        Map.of("Debug", ""), "api.example.com"),
                        "users", true, null, true, new TimeoutsConfig(Duration.ofMillis(250),
                                Duration.ofMillis(1500), Duration.ofSeconds(5), Duration.ZERO),
                        10, RouteSecurity.INHERIT, null, retry, null, 16 * 1024, null),
                new RouteConfig("user-by-id", match(null, null, "/v1/users/{id}/orders/{orderId}", null, null),
                        "users", false, null, false, TimeoutsConfig.INHERIT, null),
                new RouteConfig("inventory", match(null, "/inventory", null, null, null),
                        "inventory", false, "/v2", false, TimeoutsConfig.INHERIT, null),
                new RouteConfig("health", match("/healthz", null, null, null, "*.example.com"),
                        "route:health", false, null, false, TimeoutsConfig.INHERIT, null),
                new RouteConfig("legacy", match(null, null, null, "^/legacy/[0-9]+$", null),
                        "route:legacy", false, null, false, TimeoutsConfig.INHERIT, null));
        assertThat(config.routes().get(0).match().headers().keySet())
                .containsExactly("x-api-version", "authorization", "x-trace");
    }

    @Test
    void appliesDefaults() {
        GatewayConfig config = parse("""
                pools:
                  users:
                    backends: [http://127.0.0.1:9001]
                routes:
                  - id: users
                    match: {path_prefix: /users}
                    pool: users
                """);

        ServerConfig server = config.server();
        assertThat(server.host()).isEqualTo("0.0.0.0");
        assertThat(server.port()).isEqualTo(8081);
        assertThat(server.trustedProxies()).isEmpty();
        assertThat(server.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(server.limits()).isEqualTo(new ServerConfig.Limits(8 * 1024, 16 * 1024, 10 * 1024 * 1024, 100));
        assertThat(server.timeouts())
                .isEqualTo(new ServerConfig.Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60),
                        Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(5)));
        assertThat(config.pools()).containsExactly(Map.entry("users", new PoolConfig("users",
                PoolConfig.Strategy.ROUND_ROBIN,
                List.of(new BackendConfig("http://127.0.0.1:9001", "127.0.0.1", 9001, 1)),
                256, 1024, Duration.ofSeconds(20), TimeoutsConfig.DEFAULTS, null,
                new BackendProtection(null, null, null, ConnectFailureEjectionConfig.DEFAULTS), null, null,
                UpstreamProtocol.HTTP1)));
        assertThat(config.routes()).containsExactly(new RouteConfig("users",
                match(null, "/users", null, null, null), "users", false, null, false, TimeoutsConfig.INHERIT, null));
        assertThat(config.routes().get(0).retry()).isEqualTo(RetryConfig.DEFAULT);
    }

    @Test
    void emptyValuesMeanDefaults() {
        GatewayConfig config = parse("server:\n  limits:\n  timeouts: ~\n" + DIRECT_ROUTE);

        assertThat(config.server().limits().maxBodyBytes()).isEqualTo(10 * 1024 * 1024);
        assertThat(config.server().timeouts().idle()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void routesWithUpstreamNeedNoPools() {
        GatewayConfig config = parse(DIRECT_ROUTE);

        assertThat(config.pools()).containsOnlyKeys("route:r");
        assertThat(config.routes()).extracting(RouteConfig::pool).containsExactly("route:r");
    }

    @Test
    void loadReadsItsSourceAndNamesItInSyntaxErrors(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("gateway.yml"), "server: {port: 9999}\n" + DIRECT_ROUTE);
        assertThat(ConfigLoader.load(new FileConfigSource(file)).server().port()).isEqualTo(9999);

        Files.writeString(file, "server: [\n");
        assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> ConfigLoader.load(new FileConfigSource(file)))
                .satisfies(e -> assertThat(e.errors()).singleElement().asString().startsWith(file + ":"));
    }

    @Test
    void emptyDocumentIsAnError() {
        String expected = "(root): empty document (expected a map with keys: server, pools, routes, auth, cors, ip_rules, security_headers, rate_limit, quotas, admin, tracing, metrics)";
        assertThat(errors("")).containsExactly(expected);
        assertThat(errors("# only a comment\n")).containsExactly(expected);
    }

    @Test
    void rootMustBeAMapOfKnownSections() {
        assertThat(errors("- a\n- b\n"))
                .containsExactly("(root): a list (expected a map with keys: server, pools, routes, auth, cors, ip_rules, security_headers, rate_limit, quotas, admin, tracing, metrics)");
        assertThat(errors("servers: {}\n" + DIRECT_ROUTE))
                .containsExactly("servers: unknown key (expected one of: server, pools, routes, auth, cors, ip_rules, security_headers, rate_limit, quotas, admin, tracing, metrics)");
    }

    @Test
    void routesAreRequired() {
        assertThat(errors("server: {port: 8080}\n"))
                .containsExactly("routes: missing (expected a non-empty list of routes)");
        assertThat(errors("routes: []\n")).containsExactly("routes: empty list (expected at least one route)");
        assertThat(errors("routes: {a: 1}\n")).containsExactly("routes: a map (expected a non-empty list of routes)");
    }

    @Test
    void poolsAreRequiredWhenARouteUsesOne() {
        String route = """
                routes:
                  - id: users
                    match: {path_prefix: /users}
                    pool: users
                """;
        assertThat(errors(route)).containsExactly(
                "pools: missing (expected a map of pool name to pool; required unless every route uses upstream)");
        assertThat(errors("pools: {}\n" + route)).containsExactly(
                "pools: empty map (expected at least one pool; required unless every route uses upstream)");
        assertThat(errors("pools: [a]\n" + route))
                .containsExactly("pools: a list (expected a map of pool name to pool)");
    }

    @Test
    void yamlSyntaxErrorsNameLineAndColumn() {
        assertThat(errors("server:\n  port: 8080\n- x\n")).containsExactly(
                "<config>:3:1: invalid YAML: expected <block end>, but found '-'"
                        + " (while parsing a block mapping at line 1, column 1)");
        assertThat(errors("server: {port: 8080, host: a\u0007b}\n")).containsExactly(
                "<config>:1:29: invalid YAML: character U+0007 is not allowed");
    }

    /** The parser notices an unclosed bracket or quote lines later; the mistake is where it was opened. */
    @Test
    void unclosedBracketOrQuoteIsReportedWhereItWasOpened() {
        assertThat(errors("server:\n  port: [8080\n")).containsExactly(
                "<config>:2:9: unclosed '[' opened here (line 3, column 1: expected ',' or ']', but got <stream end>)");
        assertThat(errors("server: {port: 8080\nroutes: []\n")).containsExactly(
                "<config>:1:9: unclosed '{' opened here (line 2, column 7: expected ',' or '}', but got :)");
        assertThat(errors("server:\n  host: \"127.0.0.1\n  port: 8080\n")).containsExactly(
                "<config>:2:9: unclosed '\"' opened here (line 4, column 1: found unexpected end of stream)");
    }

    @Test
    void duplicateKeyNamesItsMapAndWhereItFirstAppeared() {
        assertThat(errors("routes: []\nroutes: []\n")).containsExactly(
                "<config>:2:1: (root): duplicate key \"routes\" (first at line 1)");
        assertThat(errors(DIRECT_ROUTE + "  - id: s\n    match:\n      path_prefix: /a\n      methods: [GET]\n"
                + "      path_prefix: /b\n")).containsExactly(
                "<config>:9:7: routes[1].match: duplicate key \"path_prefix\" (first at line 7)");
        assertThat(errors("server: {port: 1, port: 2}\n" + DIRECT_ROUTE)).containsExactly(
                "<config>:1:19: server: duplicate key \"port\" (first at column 10)");
    }

    @Test
    void aliasesAreRejectedRatherThanReadAsText() {
        assertThat(errors("server:\n  host: &h 127.0.0.1\n  port: *h\n")).containsExactly(
                "<config>:3:9: alias *h (expected plain values: anchors and aliases are not supported)");
    }

    @Test
    void onlyOneDocumentIsAllowed() {
        assertThat(errors(DIRECT_ROUTE + "---\n" + DIRECT_ROUTE)).containsExactly(
                "<config>:6:1: a second document (expected a single YAML document, without ---)");
    }

    @Test
    void nestingDeeperThan64IsRefused() {
        assertThat(errors("routes: " + "[".repeat(65) + "]".repeat(65) + "\n")).containsExactly(
                "<config>:1:72: maps and lists nested more than 64 deep (expected at most 64 levels)");
        assertThat(errors("a:\n" + nestedBlockMaps(70))).singleElement().asString()
                .matches("<config>:\\d+:\\d+: maps and lists nested more than 64 deep \\(expected at most 64 levels\\)");
    }

    @Test
    void aDocumentOverOneMebibyteIsRefusedBeforeParsing() {
        assertThat(errors("routes: \"" + "a".repeat(1024 * 1024) + "\"\n")).containsExactly(
                "<config>: 1048587 characters (expected a config of at most 1 MiB)");
    }

    /** {@code depth} block maps each inside the one before: {@code k:} lines, each indented one more space. */
    private static String nestedBlockMaps(int depth) {
        StringBuilder yaml = new StringBuilder();
        for (int i = 1; i <= depth; i++) {
            yaml.append(" ".repeat(i)).append("k:\n");
        }
        return yaml.toString();
    }

    @Test
    void reportsAllErrorsTogetherInDocumentOrder() {
        ConfigException e = assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> ConfigLoader.parse("""
                server:
                  port: 70000
                  timeouts: {idle: 5 minutes}
                pools:
                  users:
                    strategy: fastest
                    backends: [http://127.0.0.1:9001]
                  inventory:
                    backends: [http://127.0.0.1:9002]
                routes:
                  - id: users
                    match: {path_prefix: /users}
                    pool: users
                  - id: orders
                    match: {path_prefix: /orders}
                    pool: userz
                """, Map.of())).actual();

        List<String> expected = List.of(
                "server.port: 70000 (expected: 0..65535)",
                "server.timeouts.idle: \"5 minutes\" (expected a duration such as 250ms, 2s, 1m)",
                "pools.users.strategy: \"fastest\" (expected one of: round_robin, least_connections, random,"
                        + " weighted_round_robin)",
                "routes[1].pool: unknown pool \"userz\" (expected one of: users, inventory)");
        assertThat(e.errors()).containsExactlyElementsOf(expected);
        assertThat(e.getMessage()).isEqualTo(String.join("\n", expected));
    }

    @Test
    void everyYamlExampleInTheDocsIsValid() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "configuration.md")); // tests run in gateway-core/
        Matcher examples = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(docs);
        int count = 0;
        for (; examples.find(); count++) {
            GatewayConfig config = ConfigLoader.parse(examples.group(1), Map.of("DEV_KEY", "a-development-key-123",
                    "GATEHOUSE_ADMIN_TOKEN", "an-admin-token-0123456789"));
            assertThat(config.routes()).isNotEmpty();
        }
        assertThat(count).isEqualTo(7);
    }

    private static PoolConfig directPool(String routeId, BackendConfig backend) {
        return new PoolConfig(RouteConfig.directPoolName(routeId), PoolConfig.Strategy.ROUND_ROBIN, List.of(backend),
                256, 1024, Duration.ofSeconds(20), TimeoutsConfig.DEFAULTS, null, BackendProtection.NONE, null, null,
                UpstreamProtocol.HTTP1);
    }

    private static MatchConfig match(String path, String prefix, String template, String regex, String host) {
        return new MatchConfig(path, prefix, template, regex, List.of(), Map.of(), Map.of(), host);
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ConfigLoaderTest.class.getResource("/config/" + name).toURI());
    }
}
