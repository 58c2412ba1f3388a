package io.gatehouse.route;

import io.gatehouse.config.MatchConfig;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.config.TimeoutsConfig;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the {@link RouteConfig} records the config loader would produce, for router tests. */
final class RouteSpec {
    private final String id;
    private String path;
    private String prefix;
    private String template;
    private String regex;
    private List<String> methods = List.of();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, String> query = new LinkedHashMap<>();
    private String host;
    private boolean stripPrefix;
    private String rewrite;
    private boolean preserveHost;
    private Duration responseTimeout; // null: the pool's
    private Integer priority;

    private RouteSpec(String id) {
        this.id = id;
    }

    static RouteSpec exact(String id, String path) {
        RouteSpec spec = new RouteSpec(id);
        spec.path = path;
        return spec;
    }

    static RouteSpec prefix(String id, String prefix) {
        RouteSpec spec = new RouteSpec(id);
        spec.prefix = prefix;
        return spec;
    }

    static RouteSpec template(String id, String template) {
        RouteSpec spec = new RouteSpec(id);
        spec.template = template;
        return spec;
    }

    static RouteSpec regex(String id, String regex) {
        RouteSpec spec = new RouteSpec(id);
        spec.regex = regex;
        return spec;
    }

    /** A route with no path condition at all, or with several when combined with the setters below. */
    static RouteSpec unconstrained(String id) {
        return new RouteSpec(id);
    }

    RouteSpec alsoPrefix(String value) {
        prefix = value;
        return this;
    }

    RouteSpec methods(String... values) {
        methods = List.of(values);
        return this;
    }

    RouteSpec header(String name, String expected) {
        headers.put(name, expected);
        return this;
    }

    RouteSpec query(String name, String expected) {
        query.put(name, expected);
        return this;
    }

    RouteSpec host(String value) {
        host = value;
        return this;
    }

    RouteSpec stripPrefix() {
        stripPrefix = true;
        return this;
    }

    RouteSpec rewrite(String value) {
        rewrite = value;
        return this;
    }

    RouteSpec preserveHost() {
        preserveHost = true;
        return this;
    }

    RouteSpec responseTimeout(Duration value) {
        responseTimeout = value;
        return this;
    }

    RouteSpec priority(int value) {
        priority = value;
        return this;
    }

    RouteConfig build() {
        MatchConfig match = new MatchConfig(path, prefix, template, regex, methods, headers, query, host);
        return new RouteConfig(id, match, "pool-" + id, stripPrefix, rewrite, preserveHost,
                new TimeoutsConfig(null, responseTimeout, null, null), priority);
    }
}
