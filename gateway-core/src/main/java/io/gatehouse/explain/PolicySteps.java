package io.gatehouse.explain;

import io.gatehouse.config.AuthConfig;
import io.gatehouse.config.AuthMethod;
import io.gatehouse.config.Durations;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.config.IpRules;
import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.config.RateLimitConfig.KeyKind;
import io.gatehouse.config.RateLimitConfig.Policy;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.config.RouteSecurity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The steps a route's security chain runs, in the order {@code RoutePolicy} runs them: rate limits keyed before
 * authentication, the global then the route's IP rules, each auth method, roles, rate limits keyed by the consumer,
 * the route's bulkhead. Resolves what a route inherits the way {@code EdgeSecurity} does: {@code auth.default} when
 * the route names no auth, {@code rate_limit.default} when it names no policies, and every quota on every route.
 */
final class PolicySteps {
    private PolicySteps() {}

    static List<PolicyStep> of(RouteConfig route, GatewayConfig config) {
        RouteSecurity security = route.security();
        RateLimitConfig rateLimit = config.rateLimit();
        List<Policy> limits = new ArrayList<>();
        List<String> ids = Optional.ofNullable(security.rateLimits()).orElse(rateLimit.defaultPolicies());
        for (String id : ids) {
            rateLimit.policies().stream().filter(policy -> policy.id().equals(id)).findFirst().ifPresent(limits::add);
        }
        limits.addAll(rateLimit.quotas());
        String store = rateLimit.redis() == null ? "local" : "redis";
        String limitSource = security.rateLimits() != null ? "route" : "rate_limit.default";
        List<PolicyStep> steps = new ArrayList<>();
        limits.stream().filter(policy -> policy.key() != KeyKind.CONSUMER)
                .forEach(policy -> steps.add(rateLimitStep(policy, "before_auth", limitSource, store)));
        ipRules("global", config.ipRules()).ifPresent(steps::add);
        ipRules("route", security.ipRules()).ifPresent(steps::add);
        AuthConfig auth = config.auth();
        boolean ownAuth = security.auth() != null;
        for (AuthMethod method : ownAuth ? security.auth() : auth.defaultMethods()) {
            steps.add(authStep(method, ownAuth ? "route" : "auth.default", auth));
        }
        if (!security.roles().isEmpty()) {
            steps.add(new PolicyStep("roles", Map.of("any_of", security.roles())));
        }
        limits.stream().filter(policy -> policy.key() == KeyKind.CONSUMER)
                .forEach(policy -> steps.add(rateLimitStep(policy, "after_auth", limitSource, store)));
        if (route.maxConcurrentRequests() != null) {
            steps.add(new PolicyStep("bulkhead", Map.of("max_concurrent_requests", route.maxConcurrentRequests())));
        }
        return steps;
    }

    private static PolicyStep rateLimitStep(Policy policy, String phase, String routeSource, String store) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("phase", phase);
        fields.put("policy", policy.id());
        fields.put("source", policy.quota() ? "quotas" : routeSource);
        fields.put("key", policy.key() == KeyKind.HEADER ? KeyKind.HEADER.configName() + policy.header()
                : policy.key().configName());
        fields.put("limit", policy.limit());
        fields.put("period", Durations.format(policy.period()));
        if (!policy.quota()) {
            fields.put("burst", policy.burst());
        }
        fields.put("store", store);
        return new PolicyStep(policy.quota() ? "quota" : "rate_limit", fields);
    }

    /** @param scope {@code global} or {@code route} */
    static Optional<PolicyStep> ipRules(String scope, IpRules rules) {
        if (rules.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("scope", scope);
        fields.put("allow", rules.allow().stream().map(Object::toString).toList());
        fields.put("deny", rules.deny().stream().map(Object::toString).toList());
        return Optional.of(new PolicyStep("ip_rules", fields));
    }

    private static PolicyStep authStep(AuthMethod method, String source, AuthConfig auth) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("method", method.configName());
        fields.put("source", source);
        if (method == AuthMethod.API_KEY) {
            fields.put("header", auth.apiKeys().header());
            if (auth.apiKeys().queryParam() != null) {
                fields.put("query_param", auth.apiKeys().queryParam());
            }
        } else {
            fields.put("header", "Authorization: Bearer");
            if (auth.jwt().issuer() != null) {
                fields.put("issuer", auth.jwt().issuer());
            }
            fields.put("audiences", auth.jwt().audiences());
            fields.put("algorithms", auth.jwt().algorithms());
            List<String> keys = new ArrayList<>();
            if (auth.jwt().jwksUrl() != null) {
                keys.add("jwks_url");
            }
            if (auth.jwt().publicKey() != null) {
                keys.add("public_key");
            }
            if (auth.jwt().secret() != null) {
                keys.add("secret");
            }
            fields.put("keys_from", keys);
        }
        return new PolicyStep("auth", fields);
    }
}
