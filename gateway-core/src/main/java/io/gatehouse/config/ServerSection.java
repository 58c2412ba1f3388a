package io.gatehouse.config;

import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Binds {@code server:}; every key has a default, so the section may be absent. */
final class ServerSection {
    private static final String PORT_ENV = "GATEWAY_PORT";

    private static final List<String> KEYS =
            List.of("port", "host", "trusted_proxies", "shutdown_grace", "ready_timeout", "limits", "timeouts",
                    "tls", "http2");
    private static final List<String> LIMIT_KEYS =
            List.of("max_initial_line", "max_header_bytes", "max_body_bytes", "max_headers");
    /** Far above any real client's header count (Envoy's default is 100); a larger value is taken as a typo. */
    private static final int MAX_HEADERS = 10_000;
    private static final List<String> TIMEOUT_KEYS = List.of("request_header", "idle", "request_body", "send",
            "discard_body");
    private static final String HOST_EXPECTED = "expected an address or host name to bind, such as 0.0.0.0 or ::";

    private ServerSection() {}

    static ServerConfig bind(Node server, Map<String, String> env) {
        server.expectMap(KEYS);
        String host = server.get("host").parse(ServerSection::host, HOST_EXPECTED);
        int port = port(server.get("port"), env.get(PORT_ENV));
        ServerConfig.Limits limits = limits(server.get("limits"));
        return new ServerConfig(
                host == null ? "0.0.0.0" : host,
                port,
                Cidrs.bind(server.get("trusted_proxies")),
                server.get("shutdown_grace").duration(Duration.ofSeconds(10), true),
                server.get("ready_timeout").duration(Duration.ofSeconds(10), true),
                limits,
                timeouts(server.get("timeouts")),
                TlsSection.bind(server.get("tls"), port),
                Http2Section.bind(server.get("http2"), limits));
    }

    private static String host(String text) {
        if (Hosts.isName(text) || Hosts.isIpv6Literal(text)) {
            return text;
        }
        throw new IllegalArgumentException(HOST_EXPECTED);
    }

    /** The configured port, overridden by {@code GATEWAY_PORT} when that is set and not empty. */
    private static int port(Node port, String override) {
        int configured = port.integer(8081, 0, 65535);
        if (override == null || override.isEmpty()) {
            return configured;
        }
        Node fromEnv = port.derived(TextNode.valueOf(override), port.path() + " (from " + PORT_ENV + ")");
        return fromEnv.integer(configured, 0, 65535);
    }

    private static ServerConfig.Limits limits(Node limits) {
        limits.expectMap(LIMIT_KEYS);
        return new ServerConfig.Limits(
                (int) limits.get("max_initial_line").size(8 * 1024, 256, Integer.MAX_VALUE),
                (int) limits.get("max_header_bytes").size(16 * 1024, 256, Integer.MAX_VALUE),
                limits.get("max_body_bytes").size(10L * 1024 * 1024, 0, Long.MAX_VALUE),
                limits.get("max_headers").integer(100, 1, MAX_HEADERS));
    }

    private static ServerConfig.Timeouts timeouts(Node timeouts) {
        timeouts.expectMap(TIMEOUT_KEYS);
        return new ServerConfig.Timeouts(
                timeouts.get("request_header").duration(Duration.ofSeconds(10), false),
                timeouts.get("idle").duration(Duration.ofSeconds(60), false),
                // nginx's client_body_timeout, send_timeout and lingering_timeout defaults (docs/configuration.md)
                timeouts.get("request_body").duration(Duration.ofSeconds(60), false),
                timeouts.get("send").duration(Duration.ofSeconds(60), false),
                timeouts.get("discard_body").duration(Duration.ofSeconds(5), false));
    }
}
