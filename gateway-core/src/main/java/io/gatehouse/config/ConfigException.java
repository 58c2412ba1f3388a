package io.gatehouse.config;

import java.util.List;

/**
 * The configuration could not be loaded. Carries every problem found, each naming the offending path
 * and what was expected, e.g. {@code server.port: 70000 (expected: 0..65535)}.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> errors;

    public ConfigException(List<String> errors) {
        super(String.join("\n", errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    /** One problem, e.g. {@code pools.users.discovery: no discovery of this kind is available}. */
    public ConfigException(String error) {
        this(List.of(error));
    }

    /** All problems, in document order; never empty. */
    public List<String> errors() {
        return errors;
    }
}
