package io.gatehouse.route;

import com.google.re2j.Pattern;
import io.gatehouse.config.MatchConfig;
import io.gatehouse.config.Regexes;
import io.gatehouse.config.RouteConfig;
import io.gatehouse.route.RoutingExplanation.Reason;
import io.gatehouse.route.RoutingExplanation.RouteFacts;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * One route compiled so that each of its conditions can be checked, and explained, on its own: the admin API's
 * explain, not the request path (which {@link Router} serves from its indexes). Compiles a route exactly as
 * {@link Router#compile} does, so that the two agree on what matches and how routes rank.
 */
final class RouteCheck {
    /** Routing's precedence ({@link CompiledRoute#outranks}): the greater route wins. */
    static final Comparator<RouteCheck> RANK = Comparator.<RouteCheck>comparingInt(check -> check.facts.priority())
            .thenComparing(check -> check.kind)
            .thenComparingInt(check -> check.facts.specificity())
            .thenComparing(Comparator.<RouteCheck>comparingInt(check -> check.facts.position()).reversed());

    private final Route route;
    private final RouteFacts facts;
    private final PathKind kind;
    /** The normalised exact path or prefix; null for templates and regexes. */
    private final String path;
    private final PathTemplate template;
    private final Pattern regex;
    private final HostMatcher host;
    private final Map<String, Condition> headers = new LinkedHashMap<>();
    private final Map<String, Condition> query = new LinkedHashMap<>();

    private RouteCheck(RouteConfig config, int position) {
        MatchConfig match = config.match();
        String prefix = match.pathPrefix() == null ? null : Router.normalizePrefix(match.pathPrefix());
        this.route = new Route(config, prefix);
        int specificity = 0;
        if (match.path() != null) {
            kind = PathKind.EXACT;
            path = PathNormalizer.normalize(match.path());
            template = null;
            regex = null;
        } else if (prefix != null) {
            kind = PathKind.PREFIX;
            path = prefix;
            specificity = prefix.length();
            template = null;
            regex = null;
        } else if (match.pathTemplate() != null) {
            kind = PathKind.TEMPLATE;
            path = null;
            template = PathTemplate.parse(match.pathTemplate());
            specificity = template.literalCount();
            regex = null;
        } else {
            kind = PathKind.REGEX;
            path = null;
            template = null;
            regex = Regexes.compile(match.pathRegex());
        }
        this.host = match.host() == null ? null : HostMatcher.compile(match.host());
        match.headers().forEach((name, spec) -> headers.put(name, Condition.compile(spec)));
        match.query().forEach((name, spec) -> query.put(name, Condition.compile(spec)));
        String pattern = path != null ? path : match.pathTemplate() != null ? match.pathTemplate() : match.pathRegex();
        this.facts = new RouteFacts(config.id(), kind.name().toLowerCase(Locale.ROOT), pattern,
                config.priority() == null ? 0 : config.priority(), specificity, position, config.pool());
    }

    /** @param position the route's index in the configuration */
    static RouteCheck compile(RouteConfig config, int position) {
        return new RouteCheck(config, position);
    }

    Route route() {
        return route;
    }

    RouteFacts facts() {
        return facts;
    }

    /** The template's captured variables for a path this route matched; empty for other kinds. */
    Map<String, String> pathParams(ProbedRequest request) {
        return template == null ? Map.of() : template.extract(request.segments());
    }

    /** Every condition the request fails, in the order routing checks them: path, host, headers, query, method. */
    List<Reason> unmetConditions(ProbedRequest request) {
        List<Reason> unmet = new ArrayList<>();
        Reason path = pathReason(request);
        if (path != null) {
            unmet.add(path);
        }
        if (host != null && !host.matches(request.host())) {
            unmet.add(new Reason("host_mismatch", "needs host " + route.config().match().host() + ", the request "
                    + (request.host() == null ? "names none" : "names " + request.host())));
        }
        headers.forEach((name, condition) -> {
            List<String> values = request.headers().getAll(name);
            if (values.stream().noneMatch(condition.matcher()::matches)) {
                unmet.add(new Reason("header_mismatch", condition("header", name, condition, values)));
            }
        });
        query.forEach((name, condition) -> {
            List<String> values = request.queryParameters().getOrDefault(name, List.of());
            if (values.stream().noneMatch(condition.matcher()::matches)) {
                unmet.add(new Reason("query_mismatch", condition("query parameter", name, condition, values)));
            }
        });
        if (!route.allowsMethod(request.method())) {
            unmet.add(new Reason("method_not_allowed", request.method() + " is not allowed; the route allows "
                    + String.join(", ", new TreeSet<>(route.allowHeaderMethods()))));
        }
        return unmet;
    }

    boolean pathMatches(ProbedRequest request) {
        String requestPath = request.path();
        return switch (kind) {
            case EXACT -> requestPath.equals(path);
            case PREFIX -> path.equals("/") || requestPath.equals(path)
                    || (requestPath.startsWith(path) && requestPath.charAt(path.length()) == '/');
            case TEMPLATE -> templateMatches(request.segments());
            case REGEX -> regex.matcher(requestPath).matches();
        };
    }

    /**
     * The first ranking rule that separates this route from {@code other} when a request matches both fully: why it
     * lost ({@code lower_priority}, ...), or with {@code winning}, why it won ({@code higher_priority}, ...).
     */
    Reason comparedWith(RouteCheck other, boolean winning) {
        RouteFacts me = facts;
        RouteFacts them = other.facts;
        String versus = " (route " + them.id() + ": " + describeRank(them) + ")";
        if (me.priority() != them.priority()) {
            return new Reason(winning ? "higher_priority" : "lower_priority",
                    "priority " + me.priority() + versus);
        }
        if (kind != other.kind) {
            return new Reason(winning ? "more_specific_kind" : "less_specific_kind",
                    me.kind() + " match" + versus + "; exact beats template beats prefix beats regex");
        }
        if (me.specificity() != them.specificity()) {
            return new Reason(winning ? "more_specific" : "less_specific", describeRank(me) + versus);
        }
        return new Reason(winning ? "earlier_in_config" : "later_in_config",
                "routes[" + me.position() + "] in the config" + versus + "; on a full tie the earlier route wins");
    }

    private static String describeRank(RouteFacts facts) {
        String rank = "priority " + facts.priority() + ", " + facts.kind() + " " + facts.pattern();
        return switch (facts.kind()) {
            case "prefix" -> rank + " (" + facts.specificity() + " characters)";
            case "template" -> rank + " (" + facts.specificity() + " literal segments)";
            default -> rank;
        } + ", routes[" + facts.position() + "]";
    }

    private Reason pathReason(ProbedRequest request) {
        if (pathMatches(request)) {
            return null;
        }
        String near = nearMiss(request);
        return new Reason("path_mismatch", near != null ? near
                : "path " + request.path() + " does not match " + facts.kind() + " " + facts.pattern());
    }

    /**
     * For a path this route does not match: how it nearly did (a trailing slash, a prefix cut mid-segment, a template
     * one segment off or with an empty variable), or null when it is nowhere near.
     */
    String nearMiss(ProbedRequest request) {
        String requestPath = request.path();
        return switch (kind) {
            case EXACT -> requestPath.equals(path + "/") || path.equals(requestPath + "/")
                    ? "exact path " + path + " differs from " + requestPath + " only in the trailing slash" : null;
            case PREFIX -> requestPath.startsWith(path)
                    ? "prefix " + path + " matches whole segments only: " + requestPath + " is not under it" : null;
            case TEMPLATE -> templateNearMiss(request.segments());
            case REGEX -> null;
        };
    }

    private boolean templateMatches(String[] segments) {
        if (segments.length != template.segmentCount()) {
            return false;
        }
        for (int i = 0; i < segments.length; i++) {
            String literal = template.literal(i);
            if (literal == null ? segments[i].isEmpty() : !literal.equals(segments[i])) {
                return false;
            }
        }
        return true;
    }

    /** One segment more or fewer than the template, or an empty variable, with every literal segment right. */
    private String templateNearMiss(String[] segments) {
        int count = template.segmentCount();
        if (Math.abs(count - segments.length) > 1) {
            return null;
        }
        int emptyVariable = -1;
        for (int i = 0; i < Math.min(count, segments.length); i++) {
            String literal = template.literal(i);
            if (literal != null && !literal.equals(segments[i])) {
                return null;
            }
            if (literal == null && segments[i].isEmpty() && emptyVariable < 0) {
                emptyVariable = i;
            }
        }
        if (count != segments.length) {
            return "template " + facts.pattern() + " has " + count + " segments, the path " + segments.length;
        }
        return emptyVariable < 0 ? null : "template " + facts.pattern() + " needs a non-empty segment "
                + (emptyVariable + 1) + " for its variable";
    }

    private static String condition(String what, String name, Condition condition, List<String> values) {
        return what + " " + name + " needs " + condition.describe() + "; the request "
                + (values.isEmpty() ? "has none" : "has " + String.join(", ", values));
    }

    /** A header or query condition as configured ({@code ""}, {@code ~regex} or an exact value), compiled. */
    private record Condition(String spec, ValueMatcher matcher) {
        static Condition compile(String spec) {
            return new Condition(spec, ValueMatcher.compile(spec));
        }

        String describe() {
            if (spec.isEmpty()) {
                return "to be present";
            }
            return spec.startsWith("~") ? "a value matching " + spec.substring(1) : "the value " + spec;
        }
    }
}
