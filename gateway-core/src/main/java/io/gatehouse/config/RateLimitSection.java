package io.gatehouse.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Binds {@code rate_limit:}. */
final class RateLimitSection {
    private static final List<String> KEYS = List.of("backend", "redis", "policies", "default");
    private static final List<String> REDIS_KEYS = List.of("uri", "timeout", "on_error");
    private static final String URI_EXPECTED = "expected a Redis URI such as redis://127.0.0.1:6379";
    private static final List<String> POLICY_KEYS = List.of("id", "key", "limit", "period", "burst");
    private static final String KEY_EXPECTED = "expected one of: client_ip, consumer, route, global, header:NAME";
    static final String IDS_EXPECTED = "expected a list of rate_limit policy ids";

    private RateLimitSection() {}

    static RateLimitConfig bind(Node section) {
        if (!section.expectMap(KEYS)) {
            return RateLimitConfig.NONE;
        }
        Node backend = section.get("backend");
        String name = backend.string();
        boolean useRedis = "redis".equals(name);
        if (name != null && !useRedis && !name.equals("local")) {
            backend.invalid("expected local or redis");
        }
        Node redisNode = section.get("redis");
        RateLimitConfig.Redis redis = null;
        if (useRedis && !redisNode.isPresent()) {
            redisNode.missing("expected {uri, timeout, on_error} for backend: redis");
        } else if (!useRedis && redisNode.isPresent()) {
            redisNode.error("set, but backend is not redis (expected backend: redis, or no redis section)");
        } else if (useRedis) {
            redis = redis(redisNode);
        }
        List<RateLimitConfig.Policy> policies = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        Node list = section.get("policies");
        List<Node> elements = list.elements("expected a list of {id, key, limit, period, burst}");
        if (!list.isPresent() || (list.isList() && elements.isEmpty())) {
            list.error("missing or empty (expected at least one policy)");
        }
        for (Node element : elements) {
            RateLimitConfig.Policy policy = policy(element);
            if (policy == null) {
                continue;
            }
            if (ids.contains(policy.id())) {
                element.get("id").invalid("expected a unique policy id");
            } else {
                ids.add(policy.id());
                policies.add(policy);
            }
        }
        return new RateLimitConfig(policies, references(section.get("default"), Set.copyOf(ids)), redis, List.of());
    }

    /**
     * {@code quotas:}: policies without {@code burst} whose whole limit comes back each period.
     *
     * @param policyIds ids already taken by {@code rate_limit.policies}: a quota id must differ
     */
    static List<RateLimitConfig.Policy> quotas(Node list, Set<String> policyIds) {
        List<RateLimitConfig.Policy> quotas = new ArrayList<>();
        List<String> ids = new ArrayList<>(policyIds);
        for (Node element : list.elements("expected a list of {id, key, limit, period}")) {
            if (element.isMap() && element.get("burst").isPresent()) {
                element.get("burst").error("not for quotas (expected id, key, limit, period: the whole limit"
                        + " comes back each period)");
                continue;
            }
            RateLimitConfig.Policy policy = policy(element);
            if (policy == null) {
                continue;
            }
            if (ids.contains(policy.id())) {
                element.get("id").invalid("expected an id no rate-limit policy or other quota has");
            } else {
                ids.add(policy.id());
                quotas.add(new RateLimitConfig.Policy(policy.id(), policy.key(), policy.header(), policy.limit(),
                        policy.period(), policy.limit(), true));
            }
        }
        return quotas;
    }

    /** Policy ids that must all be defined; empty when absent. */
    static List<String> references(Node list, Set<String> defined) {
        List<String> ids = new ArrayList<>();
        for (Node element : list.elements(IDS_EXPECTED)) {
            String id = element.item(IDS_EXPECTED);
            if (id == null) {
                continue;
            }
            if (!defined.contains(id)) {
                element.invalid("expected a policy id from rate_limit.policies"
                        + (defined.isEmpty() ? "" : " (one of: " + String.join(", ", defined.stream().sorted().toList()) + ")"));
            } else if (ids.contains(id)) {
                element.invalid("expected each policy once");
            } else {
                ids.add(id);
            }
        }
        return ids;
    }

    private static RateLimitConfig.Redis redis(Node node) {
        if (!node.expectMap(REDIS_KEYS)) {
            return null;
        }
        Node uriNode = node.get("uri");
        java.net.URI uri = null;
        if (!uriNode.isPresent()) {
            uriNode.missing(URI_EXPECTED);
        } else {
            uri = redisUri(uriNode);
        }
        Node onError = node.get("on_error");
        String policy = onError.string();
        if (policy != null && !policy.equals("allow") && !policy.equals("deny")) {
            onError.invalid("expected allow or deny");
        }
        java.time.Duration timeout = node.get("timeout").duration(java.time.Duration.ofMillis(50), false);
        return uri == null ? null : new RateLimitConfig.Redis(uri, timeout, !"deny".equals(policy));
    }

    /**
     * The URI, or null after reporting it without its value: a Redis URI may hold a password, and errors are
     * logged and shown by the admin API.
     */
    private static java.net.URI redisUri(Node node) {
        String text = node.string();
        if (text == null) {
            return null;
        }
        try {
            java.net.URI uri = new java.net.URI(text);
            if (("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        node.error("not a redis:// or rediss:// URI with a host; the value is not shown, as it may hold a password ("
                + URI_EXPECTED + ")");
        return null;
    }

    private static RateLimitConfig.Policy policy(Node element) {
        if (!element.isPresent()) {
            element.invalid("expected a map with keys: " + String.join(", ", POLICY_KEYS));
            return null;
        }
        if (!element.expectMap(POLICY_KEYS)) {
            return null;
        }
        Node idNode = element.get("id");
        String id = idNode.requiredString("expected a policy id such as per-ip");
        if (id != null && !Ids.isValid(id)) {
            idNode.invalid(Ids.EXPECTED);
            id = null;
        }
        Node keyNode = element.get("key");
        String keyText = keyNode.requiredString(KEY_EXPECTED);
        RateLimitConfig.KeyKind kind = null;
        String header = null;
        if (keyText != null) {
            if (keyText.startsWith("header:") && HttpTokens.isToken(keyText.substring(7))) {
                kind = RateLimitConfig.KeyKind.HEADER;
                header = keyText.substring(7);
            } else {
                for (RateLimitConfig.KeyKind k : RateLimitConfig.KeyKind.values()) {
                    if (k != RateLimitConfig.KeyKind.HEADER && k.configName().equals(keyText)) {
                        kind = k;
                    }
                }
                if (kind == null) {
                    keyNode.invalid(KEY_EXPECTED);
                }
            }
        }
        Node limitNode = element.get("limit");
        if (!limitNode.isPresent()) {
            limitNode.missing("expected the number of requests per period, at least 1");
        }
        long limit = limitNode.integerAtLeast(1, 1);
        Node periodNode = element.get("period");
        if (!periodNode.isPresent()) {
            periodNode.missing("expected a duration such as 1s or 1m");
        }
        Duration period = periodNode.duration(Duration.ofSeconds(1), false);
        long burst = element.get("burst").integerAtLeast((int) Math.min(limit, Integer.MAX_VALUE), 1);
        if (id == null || kind == null || !limitNode.isPresent() || !periodNode.isPresent()) {
            return null;
        }
        return new RateLimitConfig.Policy(id, kind, header, limit, period, burst);
    }
}
