package io.gatehouse.explain;

import io.gatehouse.config.ApiKeysConfig;
import io.gatehouse.config.AuthConfig;
import io.gatehouse.config.AuthMethod;
import io.gatehouse.config.Durations;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.config.IpRules;
import io.gatehouse.config.JwtConfig;
import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.config.RateLimitConfig.KeyKind;
import io.gatehouse.config.RateLimitConfig.Policy;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.config.RouteSecurity;
import io.gatehouse.explain.PolicyStep.Verdict;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.net.InetAddress;
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
 * Judges what the request itself decides (its client address, whether it carries a credential); nothing that needs
 * state (buckets, key tables, signing keys).
 */
final class PolicySteps {
    private static final String BEARER = "Bearer ";

    private PolicySteps() {}

    /** @param request the request whose credentials and client address the steps that can be judged are judged on */
    static List<PolicyStep> of(RouteConfig route, GatewayConfig config, ExplainRequest request) {
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
        ipRules("global", config.ipRules(), request).ifPresent(steps::add);
        ipRules("route", security.ipRules(), request).ifPresent(steps::add);
        AuthConfig auth = config.auth();
        boolean ownAuth = security.auth() != null;
        for (AuthMethod method : ownAuth ? security.auth() : auth.defaultMethods()) {
            steps.add(authStep(method, ownAuth ? "route" : "auth.default", auth, request));
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

    /**
     * Judged when the request names its client address.
     *
     * @param scope {@code global} or {@code route}
     */
    static Optional<PolicyStep> ipRules(String scope, IpRules rules, ExplainRequest request) {
        if (rules.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("scope", scope);
        fields.put("allow", rules.allow().stream().map(Object::toString).toList());
        fields.put("deny", rules.deny().stream().map(Object::toString).toList());
        InetAddress client = request.clientIp();
        String address = client == null ? null : client.getHostAddress();
        Verdict verdict = client == null ? null : rules.permits(client)
                ? Verdict.passes("client " + address + " is allowed")
                : Verdict.refuses(403, "client " + address + " is not allowed (403 forbidden)");
        return Optional.of(new PolicyStep("ip_rules", fields, verdict));
    }

    /** Judged only as far as the credential's presence: checking it needs the key table or the signing keys. */
    private static PolicyStep authStep(AuthMethod method, String source, AuthConfig auth, ExplainRequest request) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("method", method.configName());
        fields.put("source", source);
        return method == AuthMethod.API_KEY ? apiKeyStep(fields, auth.apiKeys(), request)
                : jwtStep(fields, auth.jwt(), request);
    }

    private static PolicyStep apiKeyStep(Map<String, Object> fields, ApiKeysConfig apiKeys, ExplainRequest request) {
        fields.put("header", apiKeys.header());
        String param = apiKeys.queryParam();
        if (param != null) {
            fields.put("query_param", param);
        }
        boolean present = request.headers().contains(apiKeys.header()) || (param != null && request.query() != null
                && new QueryStringDecoder(request.query(), false).parameters().containsKey(param));
        return new PolicyStep("auth", fields, present ? null : Verdict.refuses(401, "no API key in header "
                + apiKeys.header() + (param == null ? "" : " or parameter " + param) + " (401 unauthorized)"));
    }

    private static PolicyStep jwtStep(Map<String, Object> fields, JwtConfig jwt, ExplainRequest request) {
        fields.put("header", "Authorization: Bearer");
        if (jwt.issuer() != null) {
            fields.put("issuer", jwt.issuer());
        }
        fields.put("audiences", jwt.audiences());
        fields.put("algorithms", jwt.algorithms());
        List<String> keys = new ArrayList<>();
        if (jwt.jwksUrl() != null) {
            keys.add("jwks_url");
        }
        if (jwt.publicKey() != null) {
            keys.add("public_key");
        }
        if (jwt.secret() != null) {
            keys.add("secret");
        }
        fields.put("keys_from", keys);
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        boolean present = authorization != null && authorization.length() > BEARER.length()
                && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
        return new PolicyStep("auth", fields, present ? null
                : Verdict.refuses(401, "no bearer token in Authorization (401 unauthorized)"));
    }
}
