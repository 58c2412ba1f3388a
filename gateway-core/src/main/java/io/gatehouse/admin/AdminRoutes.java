package io.gatehouse.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The admin API's table of endpoints by method and path template ({@code /admin/routes/{id}}). A path is found by
 * walking a tree of its segments, literal ones before a {@code {name}}; no regex. Each segment is percent-decoded
 * on its own, so an encoded {@code /} stays inside its segment.
 */
final class AdminRoutes {
    private final Segment root;

    private AdminRoutes(Segment root) {
        this.root = root;
    }

    /** What a method and path lead to. */
    sealed interface Found {}

    record Matched(AdminEndpoint endpoint, Map<String, String> params) implements Found {}

    /** The path exists, but not with this method; {@code allow} lists the methods it has, for {@code Allow}. */
    record WrongMethod(String allow) implements Found {}

    record NotFound() implements Found {}

    static Builder builder() {
        return new Builder();
    }

    /** @param rawPath the request target's path, still percent-encoded, without the query */
    Found find(HttpMethod method, String rawPath) {
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return new NotFound();
        }
        Segment at = root;
        Map<String, String> params = new HashMap<>(2);
        int start = 1;
        while (at != null && start <= rawPath.length()) {
            int slash = rawPath.indexOf('/', start);
            int end = slash < 0 ? rawPath.length() : slash;
            String segment = QueryStringDecoder.decodeComponent(rawPath.substring(start, end));
            Segment literal = at.literals.get(segment);
            if (literal != null) {
                at = literal;
            } else if (at.variable != null && !segment.isEmpty()) {
                params.put(at.variableName, segment);
                at = at.variable;
            } else {
                at = null;
            }
            start = end + 1;
        }
        if (at == null || at.endpoints.isEmpty()) {
            return new NotFound();
        }
        AdminEndpoint endpoint = at.endpoints.get(method);
        return endpoint != null ? new Matched(endpoint, params) : new WrongMethod(at.allow);
    }

    private static final class Segment {
        final Map<String, Segment> literals = new HashMap<>();
        Segment variable;
        String variableName;
        final Map<HttpMethod, AdminEndpoint> endpoints = new LinkedHashMap<>();
        String allow;
    }

    static final class Builder {
        private final Segment root = new Segment();

        private Builder() {}

        /** @param template such as {@code /admin/routes/{id}} */
        Builder add(HttpMethod method, String template, AdminEndpoint endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            if (!template.startsWith("/")) {
                throw new IllegalArgumentException("template: " + template + " (expected: starting with /)");
            }
            Segment at = root;
            for (String part : template.substring(1).split("/", -1)) {
                if (part.startsWith("{") && part.endsWith("}")) {
                    String name = part.substring(1, part.length() - 1);
                    if (at.variable == null) {
                        at.variable = new Segment();
                        at.variableName = name;
                    } else if (!at.variableName.equals(name)) {
                        throw new IllegalArgumentException("template: " + template + " (expected: {"
                                + at.variableName + "} at this position, as other templates have)");
                    }
                    at = at.variable;
                } else {
                    at = at.literals.computeIfAbsent(part, p -> new Segment());
                }
            }
            if (at.endpoints.putIfAbsent(method, endpoint) != null) {
                throw new IllegalArgumentException(method + " " + template + " added twice");
            }
            return this;
        }

        AdminRoutes build() {
            fillAllow(root);
            return new AdminRoutes(root);
        }

        private static void fillAllow(Segment segment) {
            segment.allow = segment.endpoints.keySet().stream().map(HttpMethod::name).sorted()
                    .collect(Collectors.joining(", "));
            segment.literals.values().forEach(Builder::fillAllow);
            if (segment.variable != null) {
                fillAllow(segment.variable);
            }
        }
    }
}
