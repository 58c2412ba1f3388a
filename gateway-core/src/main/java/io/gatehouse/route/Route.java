package io.gatehouse.route;

import static java.util.Objects.requireNonNull;

import io.gatehouse.config.RouteConfig;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One compiled route: where a matched request goes and how its path is rewritten on the way. */
public final class Route {
    private static final String TRACE = "TRACE";
    private static final String CONNECT = "CONNECT";
    /** What {@code Allow} says of a route that lists no methods: every standard method it lets through. */
    private static final Set<String> STANDARD_PROXIED =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    private final RouteConfig config;
    /** The configured methods, plus HEAD wherever GET is listed; empty means any method. */
    private final Set<String> methods;
    /** The normalized {@code path_prefix}, without a trailing slash unless it is "/"; null for other kinds. */
    private final String prefix;

    Route(RouteConfig config, String prefix) {
        this.config = requireNonNull(config, "config");
        this.methods = withHead(config.match().methods());
        this.prefix = prefix;
    }

    public String id() {
        return config.id();
    }

    public RouteConfig config() {
        return config;
    }

    public String poolName() {
        return config.pool();
    }

    public boolean preserveHost() {
        return config.preserveHost();
    }

    /**
     * True when the route lists {@code method} (case-sensitive, as HTTP methods are), or lists no methods and
     * {@code method} is neither TRACE nor CONNECT. A backend answers TRACE by echoing the request, cookies,
     * credentials and the headers the gateway added included, so it passes only where a route asks for it by name;
     * CONNECT (a tunnel) never passes, and the config refuses a route that lists it. HEAD is allowed wherever GET
     * is (RFC 9110 §9.3.2).
     */
    public boolean allowsMethod(String method) {
        requireNonNull(method, "method");
        return methods.isEmpty() ? !TRACE.equals(method) && !CONNECT.equals(method) : methods.contains(method);
    }

    /** The methods this route accepts, for an {@code Allow} header. */
    Set<String> allowHeaderMethods() {
        return methods.isEmpty() ? STANDARD_PROXIED : methods;
    }

    private static Set<String> withHead(List<String> configured) {
        if (configured.isEmpty()) {
            return Set.of();
        }
        Set<String> methods = new LinkedHashSet<>(configured);
        if (methods.contains("GET")) {
            methods.add("HEAD");
        }
        return Set.copyOf(methods);
    }

    /**
     * The path to send upstream for a request this route matched. A prefix route with {@code rewrite}
     * replaces its prefix with the rewrite value; otherwise one with {@code strip_prefix} removes it;
     * any other route forwards the path unchanged.
     *
     * @throws IllegalArgumentException when a rewriting route is given a path outside its prefix
     */
    public String upstreamPath(String normalizedPath) {
        requireNonNull(normalizedPath, "normalizedPath");
        String rewrite = config.rewrite();
        if (prefix == null || (rewrite == null && !config.stripPrefix())) {
            return normalizedPath;
        }
        if (!normalizedPath.startsWith(prefix)) {
            throw new IllegalArgumentException("path " + normalizedPath + " is outside prefix " + prefix);
        }
        // The root prefix has nothing to remove; any other leaves "" or a rest starting with '/'.
        String rest = prefix.equals("/") ? normalizedPath : normalizedPath.substring(prefix.length());
        if (rewrite == null) {
            return rest.isEmpty() ? "/" : rest;
        }
        if (rest.isEmpty()) {
            return rewrite.isEmpty() ? "/" : rewrite;
        }
        return rewrite.endsWith("/") ? rewrite + rest.substring(1) : rewrite + rest;
    }

    @Override
    public String toString() {
        return "Route[" + config.id() + "]";
    }
}
