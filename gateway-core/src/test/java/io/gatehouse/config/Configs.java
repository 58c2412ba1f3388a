package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;
import java.util.Map;

/** Helpers for parsing YAML snippets in tests. */
final class Configs {
    /** A valid routes section that needs no pools, to complete snippets testing other sections. */
    static final String DIRECT_ROUTE = """
            routes:
              - id: r
                match: {path_prefix: /}
                upstream: http://127.0.0.1:9001
            """;

    /** One pool named users, to complete snippets testing routes. */
    static final String USERS_POOL = """
            pools:
              users:
                backends: [http://127.0.0.1:9001]
            """;

    private Configs() {}

    static GatewayConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, Map.of());
    }

    static List<String> errors(String yaml) {
        return errors(yaml, Map.of());
    }

    static List<String> errors(String yaml, Map<String, String> env) {
        return assertThatExceptionOfType(ConfigException.class)
                .isThrownBy(() -> ConfigLoader.parse(yaml, env))
                .actual()
                .errors();
    }
}
