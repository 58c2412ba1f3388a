package io.gatehouse.route;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The state of one {@link Router#match} call: the request, the best full match so far, and the
 * methods of routes that matched all but the method. Not thread-safe; lives for one call.
 */
final class Selection {
    private static final int MAX_QUERY_PARAMS = 1024;

    private final String method;
    private final String host;
    private final HttpHeaders headers;
    private final String rawQuery;
    private Map<String, List<String>> queryParameters;
    private CompiledRoute best;
    /** The best of the routes that matched all but the method, while no route fully matched. */
    private CompiledRoute bestWrongMethod;
    private Set<String> allowedMethods;

    Selection(String method, String host, HttpHeaders headers, String rawQuery) {
        this.method = method;
        this.host = host;
        this.headers = headers;
        this.rawQuery = rawQuery;
    }

    /** False when the route could not beat the current best match even if it matched; lets callers skip work. */
    boolean couldWin(CompiledRoute route) {
        return best == null || route.outranks(best);
    }

    /** Considers routes whose path already matched the request. */
    void offerAll(List<CompiledRoute> routes) {
        for (int i = 0; i < routes.size(); i++) {
            offer(routes.get(i));
        }
    }

    void offer(CompiledRoute candidate) {
        if (!couldWin(candidate)
                || !candidate.matchesHost(host)
                || !candidate.matchesHeaders(headers)
                || (candidate.hasQueryConditions() && !candidate.matchesQuery(queryParameters()))) {
            return;
        }
        if (candidate.route().allowsMethod(method)) {
            best = candidate;
        } else if (best == null) {
            if (allowedMethods == null) {
                allowedMethods = new TreeSet<>();
            }
            allowedMethods.addAll(candidate.route().allowHeaderMethods());
            if (bestWrongMethod == null || candidate.outranks(bestWrongMethod)) {
                bestWrongMethod = candidate;
            }
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    RouteResult<Object> result(String[] pathSegments) {
        if (best != null) {
            return best.matched(pathSegments);
        }
        if (allowedMethods != null) {
            return new RouteResult.MethodNotAllowed<>(bestWrongMethod.route(), bestWrongMethod.handle(),
                    String.join(", ", allowedMethods));
        }
        return (RouteResult) RouteResult.NotFound.INSTANCE;
    }

    private Map<String, List<String>> queryParameters() {
        if (queryParameters == null) {
            queryParameters = decode(rawQuery);
        }
        return queryParameters;
    }

    /** The query's parameters as routing reads them; a malformed query has none. */
    static Map<String, List<String>> decode(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        try {
            // ';' stays an ordinary character so "a=1;b=2" cannot smuggle a second parameter past a condition.
            return new QueryStringDecoder(rawQuery, StandardCharsets.UTF_8, false, MAX_QUERY_PARAMS, true)
                    .parameters();
        } catch (IllegalArgumentException malformedEscape) {
            return Map.of();
        }
    }
}
