package io.gatehouse.testing;

/** YAML for the common test layout: one pool {@code users} of loopback backends behind one catch-all route. */
public final class TestConfigs {
    private TestConfigs() {}

    /**
     * @param poolSettings extra keys of the pool as one YAML line, e.g. {@code max_connections: 1}
     * @param routeTimeout the route's {@code response_timeout}, e.g. {@code 2s}
     */
    public static String usersPool(String poolSettings, String routeTimeout, int... ports) {
        StringBuilder backends = new StringBuilder();
        for (int port : ports) {
            backends.append("      - url: \"http://127.0.0.1:").append(port).append("\"\n");
        }
        return """
                pools:
                  users:
                    strategy: round_robin
                    backends:
                %s    %s
                routes:
                  - id: r
                    match: {path_prefix: /}
                    pool: users
                    response_timeout: %s
                """.formatted(backends, poolSettings, routeTimeout);
    }
}
