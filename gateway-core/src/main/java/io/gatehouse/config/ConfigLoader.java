package io.gatehouse.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.reload.ConfigSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Loads the gateway's YAML configuration: reads it from a {@link ConfigSource}, interpolates {@code ${VAR}} and
 * {@code ${VAR:-default}} from the environment, then binds and validates it into a {@link GatewayConfig}. Every problem found is
 * reported at once in a {@link ConfigException}; the reference is docs/configuration.md.
 */
public final class ConfigLoader {
    /** The largest document a source may hold: 1 MiB (bytes of a file, characters of a text); see YamlReader. */
    public static final int MAX_DOCUMENT_SIZE = YamlReader.MAX_DOCUMENT_SIZE;
    private static final List<String> KEYS = List.of("server", "pools", "routes", "auth", "cors", "ip_rules",
            "security_headers", "rate_limit", "quotas", "admin", "tracing", "metrics");
    /** How syntax errors name a document given as a string rather than a file. */
    private static final String INLINE_SOURCE = "<config>";
    private static final String POOLS_NEEDED = "required unless every route uses upstream";

    private ConfigLoader() {}

    /** Reads {@code source} and loads its document with the process environment. */
    public static GatewayConfig load(ConfigSource source) {
        Objects.requireNonNull(source, "source");
        return parse(source.read(), source.location(), System.getenv());
    }

    /**
     * Parses {@code yaml} with {@code env} as the environment (for interpolation and {@code GATEWAY_PORT}).
     *
     * @throws ConfigException listing every problem found
     */
    public static GatewayConfig parse(String yaml, Map<String, String> env) {
        return parse(yaml, INLINE_SOURCE, env);
    }

    /**
     * Parses {@code yaml} read from {@code source}.
     *
     * @param source what YAML syntax errors name as the document, e.g. the file's path
     * @throws ConfigException listing every problem found
     */
    public static GatewayConfig parse(String yaml, String source, Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        JsonNode tree = YamlReader.read(yaml, source);
        List<String> errors = new ArrayList<>();
        Node root = new Node(new Interpolator(env, errors).apply(tree, ""), "", errors);
        GatewayConfig config = bind(root, env);
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return config;
    }

    /** Null only when errors were reported. */
    private static GatewayConfig bind(Node root, Map<String, String> env) {
        if (!root.isPresent()) {
            root.error("empty document (expected a map with keys: " + String.join(", ", KEYS) + ")");
            return null;
        }
        if (!root.expectMap(KEYS)) {
            return null;
        }
        ServerConfig server = ServerSection.bind(root.get("server"), env);
        Node securityHsts = root.get("security_headers").get("hsts");
        if (server.tls() != null && server.tls().hsts() != null && securityHsts.isPresent()) {
            securityHsts.error("set here or in server.tls.hsts, not both (server.tls.hsts is sent on its listener)");
        }
        Node poolsNode = root.get("pools");
        Map<String, PoolConfig> pools = new LinkedHashMap<>(PoolSection.bind(poolsNode));
        Node authNode = root.get("auth");
        AuthConfig auth = authNode.isPresent() ? AuthSection.bind(authNode) : AuthConfig.NONE;
        if (auth.mtls() != null && (server.tls() == null
                || server.tls().clientAuth().mode() == TlsConfig.ClientAuth.Mode.NONE)) {
            // Without client certificates every request on an mtls route would be refused.
            authNode.get("mtls").error("needs client certificates: set server.tls.client_auth.mode to optional or"
                    + " required");
        }
        Node rateLimitNode = root.get("rate_limit");
        RateLimitConfig rateLimit = rateLimitNode.isPresent() ? RateLimitSection.bind(rateLimitNode)
                : RateLimitConfig.NONE;
        java.util.Set<String> policyIds = new java.util.HashSet<>();
        rateLimit.policies().forEach(p -> policyIds.add(p.id()));
        rateLimit = rateLimit.withQuotas(RateLimitSection.quotas(root.get("quotas"), policyIds));
        RouteSection.Bound routes = RouteSection.bind(root.get("routes"), pools, auth, policyIds,
                server.limits().maxBodyBytes());
        if (routes.usesPools() && !poolsNode.isPresent()) {
            poolsNode.missing("expected a map of pool name to pool; " + POOLS_NEEDED);
        } else if (routes.usesPools() && poolsNode.isMap() && pools.isEmpty()) {
            poolsNode.error("empty map (expected at least one pool; " + POOLS_NEEDED + ")");
        }
        pools.putAll(routes.directPools());
        return new GatewayConfig(server, pools, routes.routes(), auth, CorsSection.bind(root.get("cors")),
                Cidrs.rules(root.get("ip_rules")), SecurityHeadersSection.bind(root.get("security_headers")),
                rateLimit, AdminSection.bind(root.get("admin"), server), TracingSection.bind(root.get("tracing")),
                MetricsSection.bind(root.get("metrics")));
    }
}
