package io.gatehouse.route;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * The outcome of {@link Router#match}.
 *
 * @param <H> what the router was compiled to hand back for each route (see {@link Router#compile(java.util.List,
 *            java.util.function.Function)}), so that a request needs no second lookup by route id
 */
public sealed interface RouteResult<H> {

    /**
     * @param handle     what the router was given for this route at compile time
     * @param pathParams the values of a {@code path_template}'s placeholders by name; empty for other kinds
     */
    record Matched<H>(Route route, H handle, Map<String, String> pathParams) implements RouteResult<H> {
        public Matched {
            requireNonNull(route, "route");
            requireNonNull(handle, "handle");
            pathParams = Map.copyOf(pathParams);
        }
    }

    /** No route matches the request. One instance serves every router, whatever its handle type. */
    @SuppressWarnings("rawtypes")
    enum NotFound implements RouteResult {
        INSTANCE
    }

    /**
     * Some route matches everything but the method.
     *
     * @param route       the one of those routes that would have won with an allowed method; the refusal is counted
     *                    and logged under it
     * @param handle      that route's handle
     * @param allowHeader the sorted, comma-separated methods those routes accept, e.g. {@code "GET, HEAD, POST"}
     */
    record MethodNotAllowed<H>(Route route, H handle, String allowHeader) implements RouteResult<H> {
        public MethodNotAllowed {
            requireNonNull(route, "route");
            requireNonNull(handle, "handle");
            requireNonNull(allowHeader, "allowHeader");
        }
    }
}
