package io.gatehouse.route;

import static java.util.Objects.requireNonNull;

import io.gatehouse.config.RouteConfig;
import io.gatehouse.route.RoutingExplanation.NearMiss;
import io.gatehouse.route.RoutingExplanation.Outcome;
import io.gatehouse.route.RoutingExplanation.Reason;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Explains a routing decision: asks the {@link Router} which route a request gets (so the answer is the one the
 * gateway really gives), then checks every route's conditions one by one to say why that route won and why the
 * routes that came close did not. Costs time linear in the number of routes: for the admin API, not for requests.
 * Immutable; safe to share.
 */
public final class RouteExplainer {
    /** Near misses listed at most; the rest are only counted. */
    static final int MAX_NEAR_MISSES = 100;

    /** Full matches first, highest ranked first; then the fewest unmet conditions; then configuration order. */
    private static final Comparator<Candidate> CLOSEST_FIRST = Comparator
            .comparing(Candidate::fullMatch).reversed()
            .thenComparing((a, b) -> a.fullMatch() ? RouteCheck.RANK.compare(b.check(), a.check()) : 0)
            .thenComparingInt(candidate -> candidate.reasons().size())
            .thenComparingInt(candidate -> candidate.check().facts().position());

    private final Router<?> router;
    private final List<RouteCheck> checks = new ArrayList<>();
    private final Map<String, RouteCheck> byId = new HashMap<>();

    /**
     * @param routes the configured routes in configuration order
     * @param router the router compiled from exactly these routes (the one serving requests)
     */
    public RouteExplainer(List<RouteConfig> routes, Router<?> router) {
        this.router = requireNonNull(router, "router");
        for (int position = 0; position < routes.size(); position++) {
            RouteCheck check = RouteCheck.compile(routes.get(position), position);
            checks.add(check);
            byId.put(check.facts().id(), check);
        }
    }

    /** Takes the same arguments as {@link Router#match}. */
    public RoutingExplanation explain(String method, String host, String normalizedPath, String rawQuery,
                                      HttpHeaders headers) {
        RouteResult<?> result = router.match(method, host, normalizedPath, rawQuery, headers);
        ProbedRequest request = new ProbedRequest(method, host, normalizedPath, rawQuery, headers);
        RouteCheck chosen = chosen(result);
        RouteCheck winner = result instanceof RouteResult.Matched ? chosen : null;
        List<Candidate> candidates = new ArrayList<>();
        int unlisted = 0;
        for (RouteCheck check : checks) {
            if (check == winner) {
                continue;
            }
            if (!check.pathMatches(request) && check.nearMiss(request) == null) {
                unlisted++;
                continue;
            }
            List<Reason> unmet = check.unmetConditions(request);
            candidates.add(unmet.isEmpty() ? new Candidate(check, List.of(check.comparedWith(winner, false)), true)
                    : new Candidate(check, unmet, false));
        }
        candidates.sort(CLOSEST_FIRST);
        List<NearMiss> nearMisses = new ArrayList<>();
        for (Candidate candidate : candidates) {
            if (nearMisses.size() == MAX_NEAR_MISSES) {
                unlisted += candidates.size() - MAX_NEAR_MISSES;
                break;
            }
            nearMisses.add(new NearMiss(candidate.check().facts(), candidate.reasons()));
        }
        if (winner != null) {
            Reason wonBecause = candidates.isEmpty() || !candidates.get(0).fullMatch()
                    ? new Reason("only_match", "no other route matches the request fully")
                    : winner.comparedWith(candidates.get(0).check(), true);
            return new RoutingExplanation(Outcome.MATCHED, winner.facts(), wonBecause, winner.pathParams(request),
                    winner.route().upstreamPath(normalizedPath), null, nearMisses, unlisted);
        }
        if (result instanceof RouteResult.MethodNotAllowed<?> notAllowed) {
            return new RoutingExplanation(Outcome.METHOD_NOT_ALLOWED, chosen.facts(), null, Map.of(), null,
                    notAllowed.allowHeader(), nearMisses, unlisted);
        }
        return new RoutingExplanation(Outcome.NOT_FOUND, null, null, Map.of(), null, null, nearMisses, unlisted);
    }

    /** The route the router chose (or refused with 405 under); null when none matched. */
    private RouteCheck chosen(RouteResult<?> result) {
        String id;
        if (result instanceof RouteResult.Matched<?> matched) {
            id = matched.route().id();
        } else if (result instanceof RouteResult.MethodNotAllowed<?> notAllowed) {
            id = notAllowed.route().id();
        } else {
            return null;
        }
        return requireNonNull(byId.get(id), () -> "route " + id + " is not among the explainer's routes");
    }

    /** @param fullMatch the route matched every condition and lost on rank alone */
    private record Candidate(RouteCheck check, List<Reason> reasons, boolean fullMatch) {
    }
}
