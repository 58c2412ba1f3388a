package io.gatehouse.route;

import static java.util.Objects.requireNonNull;

import com.google.re2j.Pattern;
import io.gatehouse.config.Regexes;

/**
 * A header or query condition's expected value: {@code ""} for "present with any value",
 * {@code ~regex} for a value the regex (RE2, linear time: see {@link Regexes}) matches entirely, otherwise an
 * exact value.
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
            Pattern pattern = Regexes.compile(spec.substring(1));
            return value -> pattern.matcher(value).matches();
        }
        return spec::equals;
    }
}
