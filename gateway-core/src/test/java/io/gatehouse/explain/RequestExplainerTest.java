package io.gatehouse.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatewayConfig;
import io.gatehouse.explain.Explanation.Outcome;
import io.gatehouse.route.Router;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link RequestExplainer}: what the gateway does with a request, where it goes, and what it must pass first. */
class RequestExplainerTest {
    private static final String CONFIG = """
            pools:
              users:
                strategy: least_connections
                backends:
                  - {url: "http://10.0.0.5:9001", weight: 3}
                  - {url: "http://10.0.0.6:9001"}
                health_check: {path: /health, interval: 2s}
            auth:
              default: [api_key]
              api_keys:
                header: X-API-Key
                query_param: api_key
                keys:
                  - {id: dev, key: "0123456789abcdef0123", roles: [reader]}
              jwt:
                issuer: https://idp.example.com
                audience: gatehouse
                algorithms: [HS256]
                secret: "a-secret-of-at-least-thirty-two-bytes!"
            rate_limit:
              policies:
                - {id: per-ip, key: client_ip, limit: 100, period: 1s, burst: 200}
                - {id: per-consumer, key: consumer, limit: 1000, period: 1m}
              default: [per-ip]
            quotas:
              - {id: daily, key: consumer, limit: 10000, period: 1d}
            cors:
              allowed_origins: [https://app.example.com]
              allowed_methods: [GET, POST]
            ip_rules: {deny: [10.6.6.0/24]}
            routes:
              - id: users
                match: {path_prefix: /api/users, host: api.example.com}
                pool: users
                strip_prefix: true
              - id: user
                match: {path_template: "/api/users/{id}", methods: [GET], headers: {x-api-version: "2"}}
                pool: users
                auth: [api_key, jwt]
                roles: [admin]
                ip_rules: {allow: [10.0.0.0/8]}
                rate_limit: [per-ip, per-consumer]
                max_concurrent_requests: 50
                cors: {allowed_origins: [https://admin.example.com]}
              - id: status
                match: {path: /status}
                upstream: "http://127.0.0.1:9100"
                auth: []
                rate_limit: []
            """;

    private final GatewayConfig config = ConfigLoader.parse(CONFIG, Map.of());
    private final RequestExplainer explainer = new RequestExplainer(config, Router.compile(config.routes()));

    private Explanation explain(String... parameters) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (String parameter : parameters) {
            int eq = parameter.indexOf('=');
            map.computeIfAbsent(parameter.substring(0, eq), key -> new ArrayList<>()).add(parameter.substring(eq + 1));
        }
        return explainer.explain(ExplainRequest.fromParameters(map));
    }

    @Test
    void aProxiedRequestShowsItsRouteTheForwardedPathAndThePool() {
        Explanation explanation = explain("path=/api/users/7", "host=API.example.com:8080",
                "header=X-API-Key:any-key-at-all");

        assertThat(explanation.outcome()).isEqualTo(Outcome.PROXY);
        assertThat(explanation.status()).isNull();
        assertThat(explanation.routing().route().id()).isEqualTo("users");
        assertThat(explanation.forwarding().path()).isEqualTo("/7");
        JsonNode json = explanation.toJson();
        assertThat(json.at("/outcome").asText()).isEqualTo("proxy");
        assertThat(json.at("/route/match_kind").asText()).isEqualTo("prefix");
        assertThat(json.at("/forwarded/path").asText()).isEqualTo("/7");
        assertThat(json.at("/pool/name").asText()).isEqualTo("users");
        assertThat(json.at("/pool/strategy").asText()).isEqualTo("least_connections");
        assertThat(json.at("/pool/backends/0/url").asText()).isEqualTo("http://10.0.0.5:9001");
        assertThat(json.at("/pool/backends/0/weight").asInt()).isEqualTo(3);
        assertThat(json.at("/pool/health_check/path").asText()).isEqualTo("/health");
        assertThat(json.at("/forwarded/timeouts/connect").asText()).isEqualTo("1s");
        assertThat(json.at("/forwarded/timeouts/request").asText()).isEqualTo("none");
        assertThat(json.at("/forwarded/retry/attempts").asInt()).isEqualTo(2);
        assertThat(json.at("/forwarded/retry/on/0").asText()).isEqualTo("connect_failure");
        assertThat(json.at("/near_misses/0/id").asText()).isEqualTo("user");
        assertThat(json.at("/near_misses/0/reasons/0/code").asText()).isEqualTo("header_mismatch");
    }

    @Test
    void theStepsRunInTheChainsOrderWithTheirPolicyIds() {
        Explanation explanation = explain("path=/api/users/7", "header=X-Api-Version:2");

        assertThat(explanation.routing().route().id()).isEqualTo("user");
        assertThat(explanation.routing().pathParams()).isEqualTo(Map.of("id", "7"));
        assertThat(explanation.steps()).extracting(step -> step.step() + " " + step.fields().getOrDefault("policy",
                        step.fields().getOrDefault("scope", step.fields().getOrDefault("method", ""))))
                .containsExactly("rate_limit per-ip", "ip_rules global", "ip_rules route", "auth api_key",
                        "auth jwt", "roles ", "rate_limit per-consumer", "quota daily", "bulkhead ");
        assertThat(explanation.steps().get(0).fields()).containsEntry("phase", "before_auth")
                .containsEntry("key", "client_ip").containsEntry("period", "1s").containsEntry("source", "route");
        assertThat(explanation.steps().get(5).fields()).containsEntry("any_of", List.of("admin"));
        assertThat(explanation.steps().get(7).fields()).containsEntry("phase", "after_auth")
                .containsEntry("source", "quotas");
        assertThat(explanation.steps().get(8).fields()).containsEntry("max_concurrent_requests", 50);
        JsonNode json = explanation.toJson();
        assertThat(json.at("/cors/enabled").asBoolean()).isTrue();
        assertThat(json.at("/cors/source").asText()).isEqualTo("route");
        assertThat(json.at("/cors/allowed_origins/0").asText()).isEqualTo("https://admin.example.com");
        assertThat(json.at("/steps/4/keys_from/0").asText()).isEqualTo("secret");
        assertThat(json.toString()).as("no secret in the explanation")
                .doesNotContain("a-secret-of-at-least").doesNotContain("0123456789abcdef0123");
    }

    @Test
    void aRouteThatSaysNothingInheritsTheDefaultsAndAPublicOneHasNoSteps() {
        Explanation inherited = explain("path=/api/users/7", "host=api.example.com");
        Explanation status = explain("path=/status");

        assertThat(inherited.steps()).extracting(PolicyStep::step)
                .containsExactly("rate_limit", "ip_rules", "auth", "quota");
        assertThat(inherited.steps().get(0).fields()).containsEntry("source", "rate_limit.default");
        assertThat(inherited.steps().get(2).fields()).containsEntry("source", "auth.default")
                .containsEntry("header", "X-API-Key").containsEntry("query_param", "api_key");
        assertThat(inherited.cors().source()).isEqualTo("global");
        assertThat(status.steps()).extracting(PolicyStep::step).containsExactly("ip_rules", "quota");
        assertThat(status.forwarding().pool().name()).isEqualTo("route:status");
    }

    @Test
    void aClientAddressTheIpRulesDenyIsRefusedAtThatStep() {
        Explanation denied = explain("path=/status", "client_ip=10.6.6.1");
        Explanation outsideTheRoutes = explain("path=/api/users/7", "header=x-api-version:2",
                "client_ip=192.0.2.1");
        Explanation allowed = explain("path=/status", "client_ip=10.1.2.3");

        assertThat(denied.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.detail()).contains("step ip_rules").contains("10.6.6.1 is not allowed");
        assertThat(denied.forwarding()).as("where it would have gone").isNotNull();
        assertThat(outsideTheRoutes.detail()).contains("192.0.2.1 is not allowed");
        assertThat(outsideTheRoutes.steps().get(2).verdict().passes()).as("the route's allow list").isFalse();
        assertThat(outsideTheRoutes.steps().get(1).verdict().passes()).as("the global deny list").isTrue();
        assertThat(allowed.outcome()).isEqualTo(Outcome.PROXY);
        assertThat(allowed.toJson().at("/steps/0/verdict/passes").asBoolean()).isTrue();
        assertThat(allowed.toJson().at("/request/client_ip").asText()).isEqualTo("10.1.2.3");
    }

    @Test
    void aMissingCredentialIsRefusedAtItsAuthStep() {
        Explanation noKey = explain("path=/api/users/7", "host=api.example.com");
        Explanation keyInQuery = explain("path=/api/users/7?api_key=k", "host=api.example.com");
        Explanation noToken = explain("path=/api/users/7", "header=x-api-version:2", "header=X-API-Key:k");
        Explanation both = explain("path=/api/users/7", "header=x-api-version:2", "header=X-API-Key:k",
                "header=Authorization:bearer abc.def.ghi");

        assertThat(noKey.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(noKey.status()).isEqualTo(401);
        assertThat(noKey.detail()).contains("no API key in header X-API-Key or parameter api_key");
        assertThat(keyInQuery.outcome()).isEqualTo(Outcome.PROXY);
        assertThat(noToken.detail()).contains("no bearer token");
        assertThat(noToken.toJson().at("/steps/4/verdict/status").asInt()).isEqualTo(401);
        assertThat(both.outcome()).as("the credentials are present; checking them needs the running gateway")
                .isEqualTo(Outcome.PROXY);
        assertThat(both.steps()).filteredOn(step -> step.step().equals("auth"))
                .allMatch(step -> step.verdict() == null);
    }

    @Test
    void theIpRulesGuardBuiltInsAndPreflightsToo() {
        Explanation metrics = explain("path=/metrics", "client_ip=10.6.6.1");
        Explanation preflight = explain("method=OPTIONS", "path=/api/users/7", "header=x-api-version:2",
                "header=Origin:https://admin.example.com", "header=Access-Control-Request-Method:GET",
                "client_ip=192.0.2.1");

        assertThat(metrics.status()).isEqualTo(403);
        assertThat(metrics.detail()).contains("global ip_rules refuse it");
        assertThat(preflight.outcome()).isEqualTo(Outcome.CORS_PREFLIGHT);
        assertThat(preflight.status()).isEqualTo(403);
    }

    @Test
    void theEchoedRequestHidesCredentials() {
        JsonNode json = explain("path=/status", "header=Authorization:Bearer eyJ.secret.token",
                "header=X-API-Key:0123456789abcdef0123", "header=X-Tenant:acme").toJson();

        assertThat(json.at("/request/headers/Authorization/0").asText()).isEqualTo("<redacted>");
        assertThat(json.at("/request/headers/X-API-Key/0").asText()).isEqualTo("<redacted>");
        assertThat(json.at("/request/headers/X-Tenant/0").asText()).isEqualTo("acme");
        assertThat(json.toString()).doesNotContain("eyJ.secret.token").doesNotContain("0123456789abcdef0123");
    }

    @Test
    void theApiKeyParameterIsNotForwarded() {
        Explanation explanation = explain("path=/status?api_key=secret-key&page=2");

        assertThat(explanation.forwarding().query()).isEqualTo("page=2");
        assertThat(explanation.request().query()).isEqualTo("api_key=secret-key&page=2");
    }

    @Test
    void aWrongMethodIsA405ThatSaysWhichMethods() {
        Explanation explanation = explain("method=DELETE", "path=/api/users/7", "header=x-api-version:2");

        assertThat(explanation.outcome()).isEqualTo(Outcome.METHOD_NOT_ALLOWED);
        assertThat(explanation.status()).isEqualTo(405);
        assertThat(explanation.routing().allow()).isEqualTo("GET, HEAD");
        assertThat(explanation.detail()).contains("DELETE is not allowed").contains("GET, HEAD");
        assertThat(explanation.toJson().at("/allow").asText()).isEqualTo("GET, HEAD");
    }

    @Test
    void noRouteIsA404WithTheRoutesThatCameClose() {
        Explanation explanation = explain("path=/api/users/7/orders");

        assertThat(explanation.outcome()).isEqualTo(Outcome.NOT_FOUND);
        assertThat(explanation.status()).isEqualTo(404);
        JsonNode json = explanation.toJson();
        assertThat(json.at("/near_misses/0/reasons/0/code").asText()).isEqualTo("host_mismatch");
        assertThat(json.at("/near_misses/1/id").asText()).isEqualTo("user");
        assertThat(json.at("/near_misses/1/reasons/0/detail").asText()).contains("has 3 segments, the path 4");
        assertThat(json.has("steps")).isFalse();
    }

    @Test
    void builtInEndpointsSaySo() {
        Explanation metrics = explain("path=/metrics");
        Explanation post = explain("method=POST", "path=/healthz");

        assertThat(metrics.outcome()).isEqualTo(Outcome.BUILT_IN);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.detail()).contains("before routing and authentication");
        assertThat(metrics.steps()).extracting(PolicyStep::step).containsExactly("ip_rules");
        assertThat(metrics.routing()).isNull();
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.toJson().at("/outcome").asText()).isEqualTo("built_in");
    }

    @Test
    void aPathTheGatewayRefusesSaysWhy() {
        Explanation explanation = explain("path=/api/users/..;/admin");

        assertThat(explanation.outcome()).isEqualTo(Outcome.INVALID_PATH);
        assertThat(explanation.status()).isEqualTo(400);
        assertThat(explanation.detail()).contains("invalid_path").contains("';'");
    }

    @Test
    void theNormalisedPathIsWhatRoutingSees() {
        Explanation explanation = explain("path=/api/%75sers//7/../8", "host=api.example.com");

        assertThat(explanation.normalizedPath()).isEqualTo("/api/users/8");
        assertThat(explanation.forwarding().path()).isEqualTo("/8");
    }

    @Test
    void aCorsPreflightIsRoutedByTheMethodItAsksAbout() {
        Explanation allowed = explain("method=OPTIONS", "path=/api/users/7", "header=x-api-version:2",
                "header=Origin:https://admin.example.com", "header=Access-Control-Request-Method:GET");
        Explanation refused = explain("method=OPTIONS", "path=/api/users/7", "header=x-api-version:2",
                "header=Origin:https://evil.example.com", "header=Access-Control-Request-Method:GET");

        assertThat(allowed.outcome()).isEqualTo(Outcome.CORS_PREFLIGHT);
        assertThat(allowed.status()).isEqualTo(204);
        assertThat(allowed.routing().route().id()).as("routed as a GET").isEqualTo("user");
        assertThat(allowed.steps()).extracting(PolicyStep::step).containsExactly("ip_rules", "ip_rules");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.detail()).contains("origin not allowed");
    }

    @Test
    void badParametersNameTheParameter() {
        assertThatThrownBy(() -> explain("method=GET")).hasMessageStartingWith("path: missing");
        assertThatThrownBy(() -> explain("path=/a", "header=novalue")).hasMessageStartingWith("header: 'novalue'");
        assertThatThrownBy(() -> explain("path=/a", "path=/b")).hasMessageStartingWith("path: given 2 times");
        assertThatThrownBy(() -> explain("path=/a", "method=G T")).hasMessageStartingWith("method: 'G T'");
        assertThatThrownBy(() -> explain("path=/a", "client_ip=example.com"))
                .hasMessageStartingWith("client_ip: 'example.com'");
    }
}
