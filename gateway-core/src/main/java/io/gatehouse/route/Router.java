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

/**
 * Chooses the route for a request. Immutable after {@link #compile}, so one instance serves every
 * event loop. Exact paths, prefixes and templates are indexed, so lookup cost does not grow with the
 * number of routes; only {@code path_regex} routes are scanned, each in time linear in the path (RE2, see
 * {@link Regexes}).
 *
 * <p>Among routes that fully match, the winner has the highest priority (unset = 0), then the most
 * specific kind (exact, template, prefix, regex), then the longest prefix or the most literal template
 * segments, then the earliest position in the configuration.
 */
public final class Router {
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

    /**
     * @param routes the configured routes, in configuration order
     * @throws IllegalArgumentException naming the route when one has not exactly one path condition or
     *                                  has an invalid path, template, host or regex
     */
    public static Router compile(List<RouteConfig> routes) {
        requireNonNull(routes, "routes");
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
                    exact.computeIfAbsent(path, key -> new ArrayList<>())
                            .add(new CompiledRoute(new Route(config, null), order, PathKind.EXACT, 0, null));
                } else if (match.pathPrefix() != null) {
                    String prefix = normalizePrefix(match.pathPrefix());
                    prefixes.add(prefix, new CompiledRoute(new Route(config, prefix), order, PathKind.PREFIX,
                            prefix.length(), null));
                } else if (match.pathTemplate() != null) {
                    PathTemplate template = PathTemplate.parse(match.pathTemplate());
                    templates.add(template, new CompiledRoute(new Route(config, null), order, PathKind.TEMPLATE,
                            template.literalCount(), template));
                } else {
                    regexes.add(new RegexRoute(Regexes.compile(match.pathRegex()),
                            new CompiledRoute(new Route(config, null), order, PathKind.REGEX, 0, null)));
                }
            } catch (IllegalArgumentException | InvalidPathException e) {
                throw new IllegalArgumentException("route " + config.id() + ": " + e.getMessage(), e);
            }
        }
        return new Router(exact, templates, prefixes, List.copyOf(regexes));
    }

    /**
     * @param method         the request method, e.g. "GET"
     * @param host           the request host, lower-case without port; null when the request named none
     * @param normalizedPath the path as returned by {@link PathNormalizer#normalize}
     * @param rawQuery       the request target after '?', or null; decoded only if a candidate route has
     *                       query conditions
     * @param headers        the request headers
     */
    public RouteResult match(String method, String host, String normalizedPath, String rawQuery,
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
        return selection.result(segments);
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
