package io.gatehouse.route;

import static java.util.Objects.requireNonNull;

import com.google.re2j.Pattern;
import io.gatehouse.config.MatchConfig;
import io.gatehouse.config.Regexes;
import io.gatehouse.config.RouteConfig;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Chooses the route for a request. Immutable after {@link #compile}, so one instance serves every
 * event loop. Exact paths, prefixes and templates are indexed, so lookup cost does not grow with the
 * number of routes; only {@code path_regex} routes are scanned, each in time linear in the path (RE2, see
 * {@link Regexes}).
 *
 * <p>Among routes that fully match, the winner has the highest priority (unset = 0), then the most
 * specific kind (exact, template, prefix, regex), then the longest prefix or the most literal template
 * segments, then the earliest position in the configuration.
 *
 * @param <H> what a match hands back for its route: a handle holding everything a request on that route needs,
 *            built once when the router is compiled
 */
public final class Router<H> {
    private final Map<String, List<CompiledRoute>> exact;
    private final TemplateTrie templates;
    private final PrefixIndex prefixes;
    private final List<RegexRoute> regexes;

    private Router(Map<String, List<CompiledRoute>> exact, TemplateTrie templates, PrefixIndex prefixes,
                   List<RegexRoute> regexes) {
        this.exact = exact;
        this.templates = templates;
        this.prefixes = prefixes;
        this.regexes = regexes;
    }

    /** A router whose matches hand back the {@link Route} itself. */
    public static Router<Route> compile(List<RouteConfig> routes) {
        return compile(routes, route -> route);
    }

    /**
     * @param routes  the configured routes, in configuration order
     * @param handles builds each route's handle, once, in configuration order
     * @throws IllegalArgumentException naming the route when one has not exactly one path condition or
     *                                  has an invalid path, template, host or regex
     */
    public static <H> Router<H> compile(List<RouteConfig> routes, Function<Route, H> handles) {
        requireNonNull(routes, "routes");
        requireNonNull(handles, "handles");
        Map<String, List<CompiledRoute>> exact = new HashMap<>();
        TemplateTrie templates = new TemplateTrie();
        PrefixIndex prefixes = new PrefixIndex();
        List<RegexRoute> regexes = new ArrayList<>();
        for (int order = 0; order < routes.size(); order++) {
            RouteConfig config = requireNonNull(routes.get(order), "route");
            MatchConfig match = config.match();
            try {
                requireSinglePathCondition(match);
                if (match.path() != null) {
                    String path = PathNormalizer.normalize(match.path());
                    Route route = new Route(config, null);
                    exact.computeIfAbsent(path, key -> new ArrayList<>())
                            .add(new CompiledRoute(route, order, PathKind.EXACT, 0, null, handles.apply(route)));
                } else if (match.pathPrefix() != null) {
                    String prefix = normalizePrefix(match.pathPrefix());
                    Route route = new Route(config, prefix);
                    prefixes.add(prefix, new CompiledRoute(route, order, PathKind.PREFIX, prefix.length(), null,
                            handles.apply(route)));
                } else if (match.pathTemplate() != null) {
                    PathTemplate template = PathTemplate.parse(match.pathTemplate());
                    Route route = new Route(config, null);
                    templates.add(template, new CompiledRoute(route, order, PathKind.TEMPLATE,
                            template.literalCount(), template, handles.apply(route)));
                } else {
                    Pattern pattern = Regexes.compile(match.pathRegex());
                    Route route = new Route(config, null);
                    regexes.add(new RegexRoute(pattern,
                            new CompiledRoute(route, order, PathKind.REGEX, 0, null, handles.apply(route))));
                }
            } catch (IllegalArgumentException | InvalidPathException e) {
                throw new IllegalArgumentException("route " + config.id() + ": " + e.getMessage(), e);
            }
        }
        return new Router<>(exact, templates, prefixes, List.copyOf(regexes));
    }

    /**
     * This router with each route's handle replaced by what {@code handles} maps it to, e.g. to point routes at a
     * pool with other members. Nothing is compiled again (paths, templates, hosts, regexes and conditions are
     * shared), so it costs a copy of the indexes, far less than {@link #compile}.
     */
    @SuppressWarnings("unchecked") // every handle of this router is an H, and handles maps H to H
    public Router<H> withHandles(UnaryOperator<H> handles) {
        requireNonNull(handles, "handles");
        UnaryOperator<Object> untyped = handle -> handles.apply((H) handle);
        Map<String, List<CompiledRoute>> exactCopy = new HashMap<>();
        exact.forEach((path, routes) -> exactCopy.put(path, CompiledRoute.rehandled(routes, untyped)));
        List<RegexRoute> regexCopy = new ArrayList<>(regexes.size());
        for (RegexRoute regex : regexes) {
            regexCopy.add(new RegexRoute(regex.pattern(), regex.route().rehandled(untyped)));
        }
        return new Router<>(exactCopy, templates.rehandled(untyped), prefixes.rehandled(untyped),
                List.copyOf(regexCopy));
    }

    /**
     * @param method         the request method, e.g. "GET"
     * @param host           the request host, lower-case without port; null when the request named none
     * @param normalizedPath the path as returned by {@link PathNormalizer#normalize}
     * @param rawQuery       the request target after '?', or null; decoded only if a candidate route has
     *                       query conditions
     * @param headers        the request headers
     */
    @SuppressWarnings("unchecked") // every CompiledRoute of this router was given an H by compile
    public RouteResult<H> match(String method, String host, String normalizedPath, String rawQuery,
                             HttpHeaders headers) {
        requireNonNull(method, "method");
        requireNonNull(normalizedPath, "normalizedPath");
        requireNonNull(headers, "headers");
        Selection selection = new Selection(method, host, headers, rawQuery);
        List<CompiledRoute> exactRoutes = exact.get(normalizedPath);
        if (exactRoutes != null) {
            selection.offerAll(exactRoutes);
        }
        int depth = Depths.of(normalizedPath);
        String[] segments = null;
        if (templates.hasDepth(depth)) {
            segments = PathTemplate.split(normalizedPath);
            templates.collect(segments, selection);
        }
        prefixes.collect(normalizedPath, depth, selection);
        for (int i = 0; i < regexes.size(); i++) {
            RegexRoute regex = regexes.get(i);
            if (selection.couldWin(regex.route()) && regex.pattern().matcher(normalizedPath).matches()) {
                selection.offer(regex.route());
            }
        }
        return (RouteResult<H>) (RouteResult<?>) selection.result(segments);
    }

    private static void requireSinglePathCondition(MatchConfig match) {
        int set = (match.path() != null ? 1 : 0) + (match.pathPrefix() != null ? 1 : 0)
                + (match.pathTemplate() != null ? 1 : 0) + (match.pathRegex() != null ? 1 : 0);
        if (set != 1) {
            throw new IllegalArgumentException(
                    "needs exactly one of path, path_prefix, path_template, path_regex; has " + set);
        }
    }

    /** "/api/" and "/api" are the same prefix: both match "/api", "/api/" and "/api/x". */
    static String normalizePrefix(String prefix) {
        String normalized = PathNormalizer.normalize(prefix);
        return normalized.length() > 1 && normalized.endsWith("/")
                ? normalized.substring(0, normalized.length() - 1)
                : normalized;
    }

    private record RegexRoute(Pattern pattern, CompiledRoute route) {
    }
}
