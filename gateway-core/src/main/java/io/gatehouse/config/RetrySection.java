package io.gatehouse.config;

import io.gatehouse.grpc.GrpcStatus;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Binds {@code routes[i].retry}. */
final class RetrySection {
    private static final List<String> KEYS = List.of(
            "attempts", "on", "backoff", "budget", "min_retries_per_second", "methods", "grpc_status_codes");
    private static final List<String> BACKOFF_KEYS = List.of("base", "max", "jitter");
    private static final String CONDITIONS = Arrays.stream(RetryConfig.Condition.values())
            .filter(RetryConfig.Condition::isListed)
            .map(RetryConfig.Condition::yamlName).collect(Collectors.joining(", "));
    private static final String ON_EXPECTED = "expected a list of: " + CONDITIONS;
    private static final String CONDITION_EXPECTED = "expected one of: " + CONDITIONS;
    private static final String JITTER_EXPECTED = "expected one of: full, none";
    private static final String METHODS_EXPECTED = "expected a list of HTTP methods such as [POST, PATCH]";
    private static final String METHOD_EXPECTED = "expected an HTTP method token such as POST";
    private static final String GRPC_CODES_EXPECTED = "expected a list of gRPC status codes such as [unavailable]";

    private RetrySection() {}

    /** The route's retry policy; {@link RetryConfig#DEFAULT} when {@code retry} is absent. */
    static RetryConfig bind(Node retry) {
        RetryConfig defaults = RetryConfig.DEFAULT;
        if (!retry.isPresent() || !retry.expectMap(KEYS, moved(retry))) {
            return defaults;
        }
        int attempts = retry.get("attempts").integer(defaults.attempts(), 1, 10);
        Set<RetryConfig.Condition> on = conditions(retry.get("on"), defaults.on());
        Node backoff = retry.get("backoff");
        backoff.expectMap(BACKOFF_KEYS);
        // Zero is allowed: no wait before a retry.
        Duration base = backoff.get("base").duration(defaults.backoffBase(), true);
        Duration max = backoff.get("max").duration(defaults.backoffMax(), true);
        if (max.compareTo(base) < 0) {
            backoff.error("max " + Durations.format(max) + " is shorter than base " + Durations.format(base)
                    + " (expected base <= max)");
        }
        String jitter = backoff.get("jitter").parse(RetrySection::jitter, JITTER_EXPECTED);
        return new RetryConfig(attempts, on, base, max,
                jitter == null ? defaults.fullJitter() : jitter.equals("full"),
                retry.get("budget").percent(defaults.budgetPercent(), 0, 100),
                retry.get("min_retries_per_second").integerAtLeast(defaults.minRetriesPerSecond(), 0),
                methods(retry.get("methods")), grpcStatusCodes(retry.get("grpc_status_codes")));
    }

    /** {@code []} is allowed and retries nothing, not even a failed connection. */
    private static Set<RetryConfig.Condition> conditions(Node list, Set<RetryConfig.Condition> defaults) {
        if (!list.isPresent()) {
            return defaults;
        }
        Set<RetryConfig.Condition> out = new LinkedHashSet<>();
        for (Node element : list.elements(ON_EXPECTED)) {
            if (!element.isPresent()) {
                element.invalid(CONDITION_EXPECTED);
                continue;
            }
            // YAML reads 502 as a number; parse takes it as written.
            RetryConfig.Condition condition = element.parse(RetrySection::condition, CONDITION_EXPECTED);
            if (condition != null && !out.add(condition)) {
                element.invalid("expected each condition once");
            }
        }
        return out;
    }

    private static RetryConfig.Condition condition(String text) {
        RetryConfig.Condition condition = RetryConfig.Condition.ofYamlName(text);
        if (condition == null) {
            throw new IllegalArgumentException(CONDITION_EXPECTED);
        }
        return condition;
    }

    private static String jitter(String text) {
        if (!text.equals("full") && !text.equals("none")) {
            throw new IllegalArgumentException(JITTER_EXPECTED);
        }
        return text;
    }

    /** The body a retry replays is the one the route buffers, so one bound serves both: the route's. */
    private static Map<String, String> moved(Node retry) {
        String route = retry.path().substring(0, retry.path().length() - ".retry".length());
        return Map.of("max_body_bytes", route + ".request_buffering, which also bounds the body a retry replays");
    }

    /** Upper-cased; {@code post} and {@code POST} are the same method, so listing both is an error. */
    private static Set<String> methods(Node list) {
        Map<String, String> firstPath = new LinkedHashMap<>();
        for (Node element : list.elements(METHODS_EXPECTED)) {
            String text = element.item(METHODS_EXPECTED);
            if (text == null) {
                continue;
            }
            if (!HttpTokens.isToken(text)) {
                element.invalid(METHOD_EXPECTED);
                continue;
            }
            String previous = firstPath.putIfAbsent(text.toUpperCase(Locale.ROOT), element.path());
            if (previous != null) {
                element.invalid("expected each method once, in any letter case; also " + previous);
            }
        }
        return firstPath.keySet();
    }

    /** Names in any letter case or numbers; OK is no failure, and each code is listed once. */
    private static Set<GrpcStatus> grpcStatusCodes(Node list) {
        Map<GrpcStatus, String> firstPath = new EnumMap<>(GrpcStatus.class);
        for (Node element : list.elements(GRPC_CODES_EXPECTED)) {
            if (!element.isPresent()) {
                element.invalid(GrpcStatus.EXPECTED);
                continue;
            }
            GrpcStatus status = element.parse(GrpcStatus::parse, GrpcStatus.EXPECTED);
            if (status == GrpcStatus.OK) {
                element.invalid(GrpcStatus.EXPECTED + "; ok is a success, never retried");
            } else if (status != null && firstPath.putIfAbsent(status, element.path()) != null) {
                element.invalid("expected each code once; also " + firstPath.get(status));
            }
        }
        return firstPath.keySet();
    }
}
