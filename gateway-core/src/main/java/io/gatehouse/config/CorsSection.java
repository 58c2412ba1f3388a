package io.gatehouse.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Binds {@code cors:} (top level or in a route). */
final class CorsSection {
    private static final List<String> KEYS = List.of("allowed_origins", "allowed_methods", "allowed_headers",
            "exposed_headers", "allow_credentials", "max_age");
    private static final String ORIGIN_EXPECTED = "expected \"*\", an origin such as https://app.example.com,"
            + " or a wildcard such as https://*.example.com";
    // scheme://host[:port], the host a DNS name with an optional leading "*." label or a bracketed IPv6 literal;
    // no path, no trailing slash.
    private static final Pattern ORIGIN = Pattern.compile("[a-z][a-z0-9+.-]*://"
            + "((\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\\[[0-9a-f:.]+\\])"
            + "(:[0-9]{1,5})?");
    private static final String LIST = "expected a list of ";

    private CorsSection() {}

    /** Null when the section is absent. */
    static CorsConfig bind(Node cors) {
        if (!cors.expectMap(KEYS)) {
            return null;
        }
        boolean credentials = cors.get("allow_credentials").bool(false);
        Node originsNode = cors.get("allowed_origins");
        List<String> origins = origins(originsNode, credentials);
        return new CorsConfig(origins,
                tokens(cors.get("allowed_methods"), List.of("GET", "HEAD", "POST"), "methods such as [GET, POST]"),
                tokens(cors.get("allowed_headers"), List.of(), "header names or [\"*\"]"),
                tokens(cors.get("exposed_headers"), List.of(), "header names"),
                credentials,
                cors.get("max_age").duration(Duration.ofMinutes(5), true));
    }

    private static List<String> origins(Node node, boolean credentials) {
        if (!node.isPresent()) {
            node.missing(LIST + "origins; " + ORIGIN_EXPECTED);
            return List.of();
        }
        List<Node> elements = node.elements(LIST + "origins; " + ORIGIN_EXPECTED);
        List<String> origins = new java.util.ArrayList<>();
        for (Node element : elements) {
            String origin = element.item(ORIGIN_EXPECTED);
            if (origin == null) {
                continue;
            }
            if (origin.equals("*")) {
                if (credentials) {
                    element.invalid("expected explicit origins when allow_credentials is true: browsers refuse"
                            + " \"*\" with credentials");
                } else if (elements.size() > 1) {
                    element.invalid("expected \"*\" alone: it already allows every origin");
                }
            } else if (!ORIGIN.matcher(origin.toLowerCase(Locale.ROOT)).matches()) {
                element.invalid(ORIGIN_EXPECTED + " (no path, no trailing slash; \"null\" is never allowed)");
                continue;
            }
            origins.add(origin);
        }
        if (node.isList() && elements.isEmpty()) {
            node.error("empty list (" + ORIGIN_EXPECTED + ")");
        }
        return origins;
    }

    private static List<String> tokens(Node node, List<String> defaults, String what) {
        if (!node.isPresent()) {
            return defaults;
        }
        List<String> out = new java.util.ArrayList<>();
        for (Node element : node.elements(LIST + what)) {
            String token = element.item(LIST + what);
            if (token != null && !HttpTokens.isToken(token)) {
                element.invalid("expected a method or header name");
            } else if (token != null) {
                out.add(token);
            }
        }
        return out;
    }
}
