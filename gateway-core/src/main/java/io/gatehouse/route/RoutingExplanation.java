package io.gatehouse.route;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * What {@link RouteExplainer} found for one request: the route {@link Router#match} picks and why, and the routes
 * that came close and why they did not win. Immutable.
 *
 * @param outcome        what routing decided
 * @param route          the route that matched, or for {@link Outcome#METHOD_NOT_ALLOWED} the one the refusal is
 *                       counted under; {@code null} when nothing matched
 * @param wonBecause     why {@code route} beat the best other full match, or {@code only_match}; {@code null} when no
 *                       route matched
 * @param pathParams     the template's captured variables; empty for other kinds
 * @param upstreamPath   the path forwarded upstream (after {@code strip_prefix} or {@code rewrite}); {@code null}
 *                       unless a route matched
 * @param allow          the methods the matching routes allow, for {@link Outcome#METHOD_NOT_ALLOWED}; else null
 * @param nearMisses     the routes that came close, closest first, each with every condition it failed
 * @param otherRoutes    how many more routes were not listed because their path is nowhere near the request's
 */
public record RoutingExplanation(Outcome outcome, RouteFacts route, Reason wonBecause, Map<String, String> pathParams,
                                 String upstreamPath, String allow, List<NearMiss> nearMisses, int otherRoutes) {
    public RoutingExplanation {
        requireNonNull(outcome, "outcome");
        pathParams = Map.copyOf(pathParams);
        nearMisses = List.copyOf(nearMisses);
    }

    public enum Outcome {
        MATCHED, METHOD_NOT_ALLOWED, NOT_FOUND
    }

    /**
     * A route as routing ranks it: higher {@code priority} wins, then the more specific {@code kind} (exact,
     * template, prefix, regex), then the higher {@code specificity} (prefix length, literal template segments), then
     * the lower {@code position} in the config.
     *
     * @param kind     {@code exact}, {@code template}, {@code prefix} or {@code regex}
     * @param pattern  the path, prefix, template or regex as compiled
     * @param position the route's index in {@code routes:}, from 0
     */
    public record RouteFacts(String id, String kind, String pattern, int priority, int specificity, int position,
                             String pool) {
    }

    /**
     * One reason, with a stable {@code code} a tool can act on and a {@code detail} for people.
     *
     * <p>Codes: {@code path_mismatch}, {@code host_mismatch}, {@code header_mismatch}, {@code query_mismatch},
     * {@code method_not_allowed}, and for a full match that lost {@code lower_priority},
     * {@code less_specific_kind}, {@code less_specific}, {@code later_in_config}; for a winner the same four with
     * {@code higher_priority}, {@code more_specific_kind}, {@code more_specific}, {@code earlier_in_config}, or
     * {@code only_match}.
     */
    public record Reason(String code, String detail) {
        public Reason {
            requireNonNull(code, "code");
            requireNonNull(detail, "detail");
        }
    }

    /** A route that did not win, with every reason, in the order routing checks them. */
    public record NearMiss(RouteFacts route, List<Reason> reasons) {
        public NearMiss {
            reasons = List.copyOf(reasons);
        }
    }
}
