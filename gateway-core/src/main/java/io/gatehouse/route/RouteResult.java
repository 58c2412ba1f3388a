package io.gatehouse.route;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** The outcome of {@link Router#match}. */
public sealed interface RouteResult {

    /**
     * @param pathParams the values of a {@code path_template}'s placeholders by name; empty for other kinds
     */
    record Matched(Route route, Map<String, String> pathParams) implements RouteResult {
        public Matched {
            requireNonNull(route, "route");
            pathParams = Map.copyOf(pathParams);
        }
    }

    /** No route matches the request. */
    enum NotFound implements RouteResult {
        INSTANCE
    }

    /**
     * Some route matches everything but the method.
     *
     * @param route       the one of those routes that would have won with an allowed method; the refusal is counted
     *                    and logged under it
     * @param allowHeader the sorted, comma-separated methods those routes accept, e.g. {@code "GET, HEAD, POST"}
     */
    record MethodNotAllowed(Route route, String allowHeader) implements RouteResult {
        public MethodNotAllowed {
            requireNonNull(route, "route");
            requireNonNull(allowHeader, "allowHeader");
        }
    }
}
