package io.gatehouse.explain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.CorsConfig;
import io.gatehouse.config.DiscoveryConfig;
import io.gatehouse.config.Durations;
import io.gatehouse.config.PoolConfig;
import io.gatehouse.config.RetryConfig;
import io.gatehouse.config.TimeoutsConfig;
import io.gatehouse.route.RoutingExplanation;
import io.gatehouse.route.RoutingExplanation.NearMiss;
import io.gatehouse.route.RoutingExplanation.Reason;
import io.gatehouse.route.RoutingExplanation.RouteFacts;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders an {@link Explanation} as the admin API's JSON: snake_case keys, absent parts left out. Shows no secret:
 * key material is named by where it comes from, never its value or URL, and the echoed request hides the values of
 * headers that carry credentials.
 */
final class ExplanationJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String REDACTED = "<redacted>";

    private ExplanationJson() {}

    static ObjectNode render(Explanation explanation) {
        ObjectNode out = JSON.objectNode();
        out.set("request", request(explanation.request()));
        out.put("outcome", explanation.outcome().name().toLowerCase(Locale.ROOT));
        if (explanation.status() != null) {
            out.put("status", explanation.status());
        }
        out.put("detail", explanation.detail());
        if (explanation.normalizedPath() != null) {
            out.put("normalized_path", explanation.normalizedPath());
        }
        RoutingExplanation routing = explanation.routing();
        if (routing != null) {
            routing(out, routing);
        }
        if (explanation.forwarding() != null) {
            Explanation.Forwarding forwarding = explanation.forwarding();
            ObjectNode forwarded = out.putObject("forwarded");
            forwarded.put("path", forwarding.path());
            forwarded.put("query", forwarding.query());
            forwarded.put("preserve_host", forwarding.preserveHost());
            TimeoutsConfig timeouts = forwarding.timeouts();
            forwarded.putObject("timeouts").put("connect", Durations.format(timeouts.connect()))
                    .put("response", Durations.format(timeouts.response()))
                    .put("idle", Durations.format(timeouts.idle()))
                    .put("request", timeouts.hasRequestLimit() ? Durations.format(timeouts.request()) : "none");
            ObjectNode retry = forwarded.putObject("retry").put("attempts", forwarding.retry().attempts());
            strings(retry.putArray("on"), forwarding.retry().on().stream().map(RetryConfig.Condition::yamlName)
                    .sorted().toList());
            out.set("pool", pool(forwarding.pool()));
        }
        if (routing != null && routing.outcome() == RoutingExplanation.Outcome.MATCHED
                || explanation.outcome() == Explanation.Outcome.BUILT_IN) { // where steps apply
            ArrayNode steps = out.putArray("steps");
            explanation.steps().forEach(step -> steps.add(step(step)));
            ObjectNode cors = out.putObject("cors");
            cors.put("enabled", explanation.cors() != null);
            if (explanation.cors() != null) {
                cors(cors, explanation.cors());
            }
        }
        return out;
    }

    private static ObjectNode request(ExplainRequest request) {
        ObjectNode out = JSON.objectNode();
        out.put("method", request.method());
        out.put("path", request.path());
        out.put("host", request.host());
        out.put("query", request.query());
        out.put("client_ip", request.clientIp() == null ? null : request.clientIp().getHostAddress());
        ObjectNode headers = out.putObject("headers");
        for (String name : request.headers().names()) {
            List<String> values = request.headers().getAll(name);
            strings(headers.putArray(name), carriesCredentials(name) ? values.stream().map(v -> REDACTED).toList()
                    : values);
        }
        return out;
    }

    private static void routing(ObjectNode out, RoutingExplanation routing) {
        if (routing.route() != null) {
            ObjectNode route = facts(routing.route());
            if (routing.outcome() == RoutingExplanation.Outcome.MATCHED) {
                ObjectNode params = route.putObject("path_params");
                routing.pathParams().forEach(params::put);
                route.set("won_because", reason(routing.wonBecause()));
            }
            out.set("route", route);
        }
        if (routing.allow() != null) {
            out.put("allow", routing.allow());
        }
        ArrayNode nearMisses = out.putArray("near_misses");
        for (NearMiss miss : routing.nearMisses()) {
            ObjectNode entry = facts(miss.route());
            ArrayNode reasons = entry.putArray("reasons");
            miss.reasons().forEach(reason -> reasons.add(reason(reason)));
            nearMisses.add(entry);
        }
        out.put("other_routes", routing.otherRoutes());
    }

    private static ObjectNode facts(RouteFacts facts) {
        ObjectNode out = JSON.objectNode();
        out.put("id", facts.id());
        out.put("match_kind", facts.kind());
        out.put("pattern", facts.pattern());
        out.put("priority", facts.priority());
        out.put("specificity", facts.specificity());
        out.put("position", facts.position());
        out.put("pool", facts.pool());
        return out;
    }

    private static ObjectNode reason(Reason reason) {
        return JSON.objectNode().put("code", reason.code()).put("detail", reason.detail());
    }

    private static ObjectNode pool(PoolConfig pool) {
        ObjectNode out = JSON.objectNode();
        out.put("name", pool.name());
        out.put("strategy", pool.strategy().yamlName());
        ArrayNode backends = out.putArray("backends");
        for (BackendConfig backend : pool.backends()) {
            backends.addObject().put("url", backend.url()).put("weight", backend.weight());
        }
        if (pool.discovery() instanceof DiscoveryConfig.Etcd etcd) {
            out.putObject("discovery").putObject("etcd").put("prefix", etcd.prefix());
        } else if (pool.discovery() instanceof DiscoveryConfig.Dns dns) {
            out.putObject("discovery").putObject("dns").put("name", dns.name()).put("port", dns.port())
                    .put("type", dns.type().name()).put("refresh", Durations.format(dns.refresh()));
        }
        if (pool.healthCheck() != null) {
            out.putObject("health_check").put("path", pool.healthCheck().path())
                    .put("interval", Durations.format(pool.healthCheck().interval()));
        }
        return out;
    }

    private static ObjectNode step(PolicyStep step) {
        ObjectNode out = JSON.objectNode();
        out.put("step", step.step());
        for (Map.Entry<String, Object> field : step.fields().entrySet()) {
            Object value = field.getValue();
            if (value instanceof List<?> list) {
                strings(out.putArray(field.getKey()), list.stream().map(String::valueOf).toList());
            } else if (value instanceof Number number) {
                out.put(field.getKey(), number.longValue());
            } else if (value instanceof Boolean bool) {
                out.put(field.getKey(), bool);
            } else {
                out.put(field.getKey(), String.valueOf(value));
            }
        }
        if (step.verdict() != null) {
            ObjectNode verdict = out.putObject("verdict").put("passes", step.verdict().passes());
            if (step.verdict().status() != null) {
                verdict.put("status", step.verdict().status());
            }
            verdict.put("detail", step.verdict().detail());
        }
        return out;
    }

    private static void cors(ObjectNode out, Explanation.Cors cors) {
        CorsConfig config = cors.config();
        out.put("source", cors.source());
        strings(out.putArray("allowed_origins"), config.allowedOrigins());
        strings(out.putArray("allowed_methods"), config.allowedMethods());
        strings(out.putArray("allowed_headers"), config.allowedHeaders());
        out.put("allow_credentials", config.allowCredentials());
    }

    /** Authorization, Proxy-Authorization, Cookie, and any name with "key", "token" or "secret" in it. */
    private static boolean carriesCredentials(String headerName) {
        String name = headerName.toLowerCase(Locale.ROOT);
        return name.endsWith("authorization") || name.equals("cookie") || name.contains("key")
                || name.contains("token") || name.contains("secret");
    }

    private static void strings(ArrayNode out, List<String> values) {
        values.forEach(out::add);
    }
}
