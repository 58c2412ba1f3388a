package io.gatehouse.config;

import java.util.Collections;
import java.util.LinkedHashMap;
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
        headers = copy(headers);
        query = copy(query);
    }

    /** Ordered and unmodifiable; the one empty map for the many routes that match no header or query. */
    private static Map<String, String> copy(Map<String, String> map) {
        return map.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
