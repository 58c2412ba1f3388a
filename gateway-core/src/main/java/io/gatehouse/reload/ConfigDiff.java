package io.gatehouse.reload;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.config.PoolConfig;
import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.config.RouteConfig;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a new configuration changes against the running one: routes (by id), pools (by name; a pool is changed when
 * a setting other than its backends is), backends (by address, per pool present in both), rate-limit policies and
 * quotas (by id), and the single-valued settings (auth, CORS, IP rules, security headers, server settings, ...).
 * Immutable; renders to JSON for the admin API and to one line for the log.
 *
 * @param backends only the pools present in both configs whose backends differ; an added or removed pool's
 *                 backends come and go with it
 */
public record ConfigDiff(Changes routes, Changes pools, Map<String, Changes> backends, Changes rateLimitPolicies,
                         Changes quotas, Changes settings) {
    /** Names listed per kind in {@link #summary()}; the JSON lists every one. */
    private static final int SUMMARY_NAMES = 10;
    private static final Map<String, Function<GatewayConfig, Object>> SETTINGS = settingValues();
    /** No change at all. */
    public static final ConfigDiff NONE = new ConfigDiff(Changes.NONE, Changes.NONE, Map.of(), Changes.NONE,
            Changes.NONE, Changes.NONE);

    public ConfigDiff {
        backends = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(backends));
    }

    public static ConfigDiff between(GatewayConfig before, GatewayConfig after) {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Changes routes = Changes.of(byKey(before.routes(), RouteConfig::id), byKey(after.routes(), RouteConfig::id),
                Function.identity());
        Changes pools = Changes.of(before.pools(), after.pools(), ConfigDiff::withoutBackends);
        Map<String, Changes> backends = new LinkedHashMap<>();
        after.pools().forEach((name, pool) -> {
            PoolConfig old = before.pools().get(name);
            if (old != null) {
                Changes changes = Changes.of(byKey(old.backends(), BackendConfig::address),
                        byKey(pool.backends(), BackendConfig::address), Function.identity());
                if (!changes.isEmpty()) {
                    backends.put(name, changes);
                }
            }
        });
        Changes policies = Changes.of(byKey(before.rateLimit().policies(), RateLimitConfig.Policy::id),
                byKey(after.rateLimit().policies(), RateLimitConfig.Policy::id), Function.identity());
        Changes quotas = Changes.of(byKey(before.rateLimit().quotas(), RateLimitConfig.Policy::id),
                byKey(after.rateLimit().quotas(), RateLimitConfig.Policy::id), Function.identity());
        Changes settings = settingsChanges(before, after, routes);
        return new ConfigDiff(routes, pools, backends, policies, quotas, settings);
    }

    public boolean isEmpty() {
        return routes.isEmpty() && pools.isEmpty() && backends.isEmpty() && rateLimitPolicies.isEmpty()
                && quotas.isEmpty() && settings.isEmpty();
    }

    /**
     * {@code {"routes": {"added": [...], "removed": [...], "changed": [...]}, "pools": {...},
     * "backends": {"POOL": {...}}, "rate_limit_policies": {...}, "quotas": {...}, "settings": {...}}}.
     */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.set("routes", routes.toJson());
        json.set("pools", pools.toJson());
        ObjectNode perPool = json.putObject("backends");
        backends.forEach((pool, changes) -> perPool.set(pool, changes.toJson()));
        json.set("rate_limit_policies", rateLimitPolicies.toJson());
        json.set("quotas", quotas.toJson());
        json.set("settings", settings.toJson());
        return json;
    }

    /** One line, e.g. {@code routes: +orders ~users; backends[users]: -127.0.0.1:9001}, or {@code no changes}. */
    public String summary() {
        StringBuilder line = new StringBuilder();
        routes.appendTo(line, "routes");
        pools.appendTo(line, "pools");
        backends.forEach((pool, changes) -> changes.appendTo(line, "backends[" + pool + "]"));
        rateLimitPolicies.appendTo(line, "rate_limit policies");
        quotas.appendTo(line, "quotas");
        settings.appendTo(line, "settings");
        return line.length() == 0 ? "no changes" : line.toString();
    }

    /** A pool's settings without its members, so that a pool whose backends alone changed is not "changed". */
    private static PoolConfig withoutBackends(PoolConfig pool) {
        return pool.withBackends(List.of());
    }

    private static Changes settingsChanges(GatewayConfig before, GatewayConfig after, Changes routes) {
        Map<String, Object> old = new LinkedHashMap<>();
        Map<String, Object> now = new LinkedHashMap<>();
        SETTINGS.forEach((name, value) -> {
            putIfSet(old, name, value.apply(before));
            putIfSet(now, name, value.apply(after));
        });
        if (routes.added().isEmpty() && routes.removed().isEmpty()
                && !before.routes().stream().map(RouteConfig::id).toList()
                        .equals(after.routes().stream().map(RouteConfig::id).toList())) {
            old.put("routes.order", "before"); // the order breaks ties between equally specific routes
            now.put("routes.order", "after");
        }
        return Changes.of(old, now, Function.identity());
    }

    /** An unset setting: null, an empty list or map, no IP rules. Going from unset to set is "added". */
    private static void putIfSet(Map<String, Object> settings, String name, Object value) {
        boolean unset = value == null || value instanceof Collection<?> c && c.isEmpty()
                || value instanceof Map<?, ?> m && m.isEmpty()
                || value instanceof io.gatehouse.config.IpRules rules && rules.isEmpty();
        if (!unset) {
            settings.put(name, value);
        }
    }

    private static Map<String, Function<GatewayConfig, Object>> settingValues() {
        Map<String, Function<GatewayConfig, Object>> settings = new LinkedHashMap<>();
        settings.put("server.host", c -> c.server().host());
        settings.put("server.port", c -> c.server().port());
        settings.put("server.trusted_proxies", c -> c.server().trustedProxies());
        settings.put("server.shutdown_grace", c -> c.server().shutdownGrace());
        settings.put("server.ready_timeout", c -> c.server().readyTimeout());
        settings.put("server.limits", c -> c.server().limits());
        settings.put("server.timeouts", c -> c.server().timeouts());
        settings.put("auth.default", c -> c.auth().defaultMethods());
        settings.put("auth.api_keys", c -> c.auth().apiKeys());
        settings.put("auth.jwt", c -> c.auth().jwt());
        settings.put("cors", GatewayConfig::cors);
        settings.put("ip_rules", GatewayConfig::ipRules);
        settings.put("security_headers", GatewayConfig::securityHeaders);
        settings.put("rate_limit.default", c -> c.rateLimit().defaultPolicies());
        settings.put("rate_limit.redis", c -> c.rateLimit().redis());
        settings.put("admin", GatewayConfig::admin);
        settings.put("tracing", GatewayConfig::tracing);
        return java.util.Collections.unmodifiableMap(settings);
    }

    private static <T> Map<String, T> byKey(List<T> values, Function<T, String> key) {
        Map<String, T> map = new LinkedHashMap<>();
        values.forEach(value -> map.putIfAbsent(key.apply(value), value));
        return map;
    }

    /** Names added, removed and changed, each in config order. */
    public record Changes(List<String> added, List<String> removed, List<String> changed) {
        public static final Changes NONE = new Changes(List.of(), List.of(), List.of());

        public Changes {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            changed = List.copyOf(changed);
        }

        /** @param meaning what is compared of two values under one name */
        static <T> Changes of(Map<String, T> before, Map<String, T> after, Function<T, ?> meaning) {
            List<String> added = new ArrayList<>();
            List<String> changed = new ArrayList<>();
            after.forEach((name, value) -> {
                T old = before.get(name);
                if (old == null) {
                    added.add(name);
                } else if (!meaning.apply(old).equals(meaning.apply(value))) {
                    changed.add(name);
                }
            });
            List<String> removed = before.keySet().stream().filter(name -> !after.containsKey(name)).toList();
            return new Changes(added, removed, changed);
        }

        public boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
        }

        ObjectNode toJson() {
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            added.forEach(json.putArray("added")::add);
            removed.forEach(json.putArray("removed")::add);
            changed.forEach(json.putArray("changed")::add);
            return json;
        }

        private void appendTo(StringBuilder line, String label) {
            if (isEmpty()) {
                return;
            }
            line.append(line.length() == 0 ? "" : "; ").append(label).append(':');
            int listed = appendNames(line, '+', added, 0);
            listed = appendNames(line, '-', removed, listed);
            listed = appendNames(line, '~', changed, listed);
            if (listed > SUMMARY_NAMES) {
                line.append(" (and ").append(listed - SUMMARY_NAMES).append(" more)");
            }
        }

        /** Appends names while fewer than {@link #SUMMARY_NAMES} are listed; returns the count including these. */
        private static int appendNames(StringBuilder line, char sign, List<String> names, int listed) {
            for (String name : names) {
                if (listed++ < SUMMARY_NAMES) {
                    line.append(' ').append(sign).append(name);
                }
            }
            return listed;
        }
    }
}
