package io.gatehouse.config;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates {@code path_template} values such as {@code /users/{id}/orders/{orderId}}. */
final class PathTemplates {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private PathTemplates() {}

    /**
     * Returns {@code template} when every {@code {name}} is a whole segment with a distinct, valid name.
     *
     * @throws IllegalArgumentException whose message says what was expected, without the value
     */
    static String validate(String template) {
        Objects.requireNonNull(template, "template");
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("expected a path template starting with /, as in /users/{id}");
        }
        Set<String> names = new HashSet<>();
        for (String segment : template.substring(1).split("/", -1)) {
            if (segment.indexOf('{') < 0 && segment.indexOf('}') < 0) {
                continue;
            }
            String name = segment.length() >= 2 && segment.startsWith("{") && segment.endsWith("}")
                    ? segment.substring(1, segment.length() - 1)
                    : null;
            if (name == null || name.indexOf('{') >= 0 || name.indexOf('}') >= 0) {
                throw new IllegalArgumentException(
                        "expected each {name} to be a whole path segment, as in /users/{id}");
            }
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        "expected variable names of letters, digits and _, not starting with a digit");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("expected distinct variable names; {" + name + "} is repeated");
            }
        }
        return template;
    }
}
