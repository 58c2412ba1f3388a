package io.gatehouse.route;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A header or query condition's expected value: {@code ""} for "present with any value",
 * {@code ~regex} for a value the regex matches entirely, otherwise an exact value.
 */
@FunctionalInterface
interface ValueMatcher {
    boolean matches(String value);

    static ValueMatcher compile(String spec) {
        requireNonNull(spec, "spec");
        if (spec.isEmpty()) {
            return value -> true;
        }
        if (spec.startsWith("~")) {
            Pattern pattern = Pattern.compile(spec.substring(1));
            return value -> pattern.matcher(value).matches();
        }
        return spec::equals;
    }
}
