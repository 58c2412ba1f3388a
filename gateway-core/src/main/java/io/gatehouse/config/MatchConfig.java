package io.gatehouse.config;

import java.util.List;
import java.util.Map;

/**
 * {@code routes[i].match}. Exactly one of the four path fields is set.
 *
 * @param methods upper-case method names; empty means any method
 * @param headers header name (lower-case) to expected value: an exact value, {@code ~regex}, or
 *                {@code ""} meaning "present with any value"
 * @param query   query parameter name to expected value, with the same three forms as headers
 * @param host    {@code null}, an exact host, or {@code *.example.com}
 */
public record MatchConfig(String path, String pathPrefix, String pathTemplate, String pathRegex,
                          List<String> methods, Map<String, String> headers, Map<String, String> query,
                          String host) {
    public MatchConfig {
        methods = List.copyOf(methods);
        headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
        query = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(query));
    }
}
