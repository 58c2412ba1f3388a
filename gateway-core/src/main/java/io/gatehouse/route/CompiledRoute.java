package io.gatehouse.route;

import static java.util.Objects.requireNonNull;

import io.gatehouse.config.MatchConfig;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A route with its precedence and its non-path conditions (host, headers, query), ready to test a request. */
final class CompiledRoute {
    private final Route route;
    private final int priority;
    private final PathKind kind;
    /** Within a kind: the prefix length for prefixes, the literal segment count for templates. */
    private final int specificity;
    private final int order;
    private final HostMatcher host;
    private final Condition[] headers;
    private final Condition[] query;
    private final PathTemplate template;
    /** What the router hands back for this route; typed by the {@link Router} that made it. */
    private final Object handle;
    private final RouteResult.Matched<Object> plainMatch;

    /**
     * @param order    the route's position in the configuration
     * @param template the parsed template for a template route, else null
     * @param handle   what a match on this route hands back
     */
    CompiledRoute(Route route, int order, PathKind kind, int specificity, PathTemplate template, Object handle) {
        this.route = requireNonNull(route, "route");
        this.priority = route.config().priority() == null ? 0 : route.config().priority();
        this.kind = requireNonNull(kind, "kind");
        this.specificity = specificity;
        this.order = order;
        MatchConfig match = route.config().match();
        this.host = match.host() == null ? null : HostMatcher.compile(match.host());
        this.headers = Condition.compileAll(match.headers());
        this.query = Condition.compileAll(match.query());
        this.template = template;
        this.handle = requireNonNull(handle, "handle");
        this.plainMatch = new RouteResult.Matched<>(route, handle, Map.of());
    }

    /** The same route handing back {@code handle}: nothing is compiled again. */
    private CompiledRoute(CompiledRoute from, Object handle) {
        this.route = from.route;
        this.priority = from.priority;
        this.kind = from.kind;
        this.specificity = from.specificity;
        this.order = from.order;
        this.host = from.host;
        this.headers = from.headers;
        this.query = from.query;
        this.template = from.template;
        this.handle = requireNonNull(handle, "handle");
        this.plainMatch = new RouteResult.Matched<>(route, handle, Map.of());
    }

    /** This route handing back what {@code handles} maps its handle to; itself when that is the same handle. */
    CompiledRoute rehandled(UnaryOperator<Object> handles) {
        Object next = handles.apply(handle);
        return next == handle ? this : new CompiledRoute(this, next);
    }

    /** Each of {@code routes} {@linkplain #rehandled(UnaryOperator) rehandled}, in order. */
    static List<CompiledRoute> rehandled(List<CompiledRoute> routes, UnaryOperator<Object> handles) {
        List<CompiledRoute> copy = new ArrayList<>(routes.size());
        for (CompiledRoute route : routes) {
            copy.add(route.rehandled(handles));
        }
        return copy;
    }

    Route route() {
        return route;
    }

    Object handle() {
        return handle;
    }

    /** True when this route takes precedence over {@code other} should both match the same request. */
    boolean outranks(CompiledRoute other) {
        if (priority != other.priority) {
            return priority > other.priority;
        }
        if (kind != other.kind) {
            return kind.compareTo(other.kind) > 0;
        }
        if (specificity != other.specificity) {
            return specificity > other.specificity;
        }
        return order < other.order;
    }

    boolean matchesHost(String requestHost) {
        return host == null || host.matches(requestHost);
    }

    /** Each header condition needs one value of that header to satisfy it. */
    boolean matchesHeaders(HttpHeaders requestHeaders) {
        for (Condition condition : headers) {
            if (!anyMatches(requestHeaders.valueStringIterator(condition.name()), condition.matcher())) {
                return false;
            }
        }
        return true;
    }

    boolean hasQueryConditions() {
        return query.length > 0;
    }

    /** Each query condition needs one value of that parameter to satisfy it. */
    boolean matchesQuery(Map<String, List<String>> parameters) {
        for (Condition condition : query) {
            List<String> values = parameters.get(condition.name());
            if (values == null || !anyMatches(values.iterator(), condition.matcher())) {
                return false;
            }
        }
        return true;
    }

    /** @param pathSegments the request path's segments; needed only when this is a template route */
    RouteResult.Matched<Object> matched(String[] pathSegments) {
        return template == null ? plainMatch
                : new RouteResult.Matched<>(route, handle, template.extract(pathSegments));
    }

    private static boolean anyMatches(Iterator<String> values, ValueMatcher matcher) {
        while (values.hasNext()) {
            if (matcher.matches(values.next())) {
                return true;
            }
        }
        return false;
    }

    private record Condition(String name, ValueMatcher matcher) {
        private static final Condition[] NONE = {};

        static Condition[] compileAll(Map<String, String> specs) {
            if (specs.isEmpty()) {
                return NONE; // most routes: no stream to build
            }
            return specs.entrySet().stream()
                    .map(entry -> new Condition(entry.getKey(), ValueMatcher.compile(entry.getValue())))
                    .toArray(Condition[]::new);
        }
    }
}
