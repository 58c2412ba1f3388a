package io.gatehouse.explain;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One check of a route's security chain, as the explanation shows it.
 *
 * @param step   {@code rate_limit}, {@code ip_rules}, {@code auth}, {@code roles} or {@code bulkhead}
 * @param fields what the step checks, in display order; values are strings, numbers, booleans or lists of strings
 */
public record PolicyStep(String step, Map<String, Object> fields) {
    public PolicyStep {
        requireNonNull(step, "step");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
