package io.gatehouse.explain;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One check of a route's security chain, as the explanation shows it.
 *
 * @param step    {@code rate_limit}, {@code quota}, {@code ip_rules}, {@code auth}, {@code roles} or {@code bulkhead}
 * @param fields  what the step checks, in display order; values are strings, numbers, booleans or lists of strings
 * @param verdict what the step decides for the explained request, or {@code null} when that cannot be known
 *                without running it (a bucket's tokens, a token's signature, the roles of an identity)
 */
public record PolicyStep(String step, Map<String, Object> fields, Verdict verdict) {
    public PolicyStep {
        requireNonNull(step, "step");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    PolicyStep(String step, Map<String, Object> fields) {
        this(step, fields, null);
    }

    /**
     * @param status the status of the refusal, e.g. 401; {@code null} when the step passes
     * @param detail why, e.g. {@code no API key in header X-API-Key}
     */
    public record Verdict(boolean passes, Integer status, String detail) {
        public Verdict {
            requireNonNull(detail, "detail");
        }

        static Verdict passes(String detail) {
            return new Verdict(true, null, detail);
        }

        static Verdict refuses(int status, String detail) {
            return new Verdict(false, status, detail);
        }
    }
}
