package io.gatehouse.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.RouteConfig;
import io.gatehouse.route.RoutingExplanation.NearMiss;
import io.gatehouse.route.RoutingExplanation.Outcome;
import io.gatehouse.route.RoutingExplanation.Reason;
import io.gatehouse.route.RoutingExplanation.RouteFacts;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The explanation agrees with the router on thousands of generated routing tables and requests: its winner is the
 * route {@link Router#match} picks, and each route's reasons agree with a router holding that route alone (a full
 * match lost on rank only, a 405 alone fails on the method, a miss fails on some condition).
 */
class RouteExplainerAgreementTest {
    private static final Set<String> LOST_ON_RANK =
            Set.of("lower_priority", "less_specific_kind", "less_specific", "later_in_config");
    private static final Set<String> WON_ON_RANK =
            Set.of("higher_priority", "more_specific_kind", "more_specific", "earlier_in_config");
    private static final Map<String, Integer> KIND_RANK = Map.of("regex", 0, "prefix", 1, "template", 2, "exact", 3);
    private static final String[] SEGMENTS = {"a", "ab", "b"};

    private final Random random = new Random(20261202);

    @Test
    void theExplanationAgreesWithTheRouterOnGeneratedTables() {
        int matched = 0;
        int notAllowed = 0;
        for (int table = 0; table < 1_000; table++) {
            List<RouteConfig> routes = new ArrayList<>();
            int count = 1 + random.nextInt(8);
            for (int i = 0; i < count; i++) {
                routes.add(randomRoute("r" + i).build());
            }
            Router<Route> router = Router.compile(routes);
            List<Router<Route>> alone = routes.stream().map(route -> Router.compile(List.of(route))).toList();
            RouteExplainer explainer = new RouteExplainer(routes, router);
            for (int request = 0; request < 20; request++) {
                Request probe = randomRequest();
                RouteResult result = router.match(probe.method, probe.host, probe.path, probe.query, probe.headers);
                RoutingExplanation explanation = explainer.explain(probe.method, probe.host, probe.path,
                        probe.query, probe.headers);
                Supplier<String> context = () -> routes.stream()
                        .map(r -> r.id() + " " + r.match() + " priority " + r.priority()).toList() + " " + probe;
                assertAgreesWithRouter(explanation, result, context);
                for (int i = 0; i < routes.size(); i++) {
                    assertReasonsAgreeWithTheRouteAlone(explanation, routes.get(i), alone.get(i), probe, context);
                }
                matched += result instanceof RouteResult.Matched ? 1 : 0;
                notAllowed += result instanceof RouteResult.MethodNotAllowed ? 1 : 0;
            }
        }
        assertThat(matched).as("generated requests that matched").isGreaterThan(3_000);
        assertThat(notAllowed).as("generated requests answered 405").isGreaterThan(300);
    }

    private static void assertAgreesWithRouter(RoutingExplanation explanation, RouteResult result,
                                               Supplier<String> context) {
        if (result instanceof RouteResult.Matched matched) {
            assertThat(explanation.outcome()).as(context).isEqualTo(Outcome.MATCHED);
            assertThat(explanation.route().id()).as(context).isEqualTo(matched.route().id());
            assertThat(explanation.pathParams()).as(context).isEqualTo(matched.pathParams());
            List<NearMiss> outranked = explanation.nearMisses().stream()
                    .filter(miss -> LOST_ON_RANK.contains(miss.reasons().get(0).code())).toList();
            for (NearMiss loser : outranked) {
                assertThat(rank(explanation.route(), loser.route())).as(context).isPositive();
            }
            assertThat(explanation.wonBecause().code()).as(context)
                    .isIn(outranked.isEmpty() ? Set.of("only_match") : WON_ON_RANK);
        } else if (result instanceof RouteResult.MethodNotAllowed notAllowed) {
            assertThat(explanation.outcome()).as(context).isEqualTo(Outcome.METHOD_NOT_ALLOWED);
            assertThat(explanation.route().id()).as(context).isEqualTo(notAllowed.route().id());
            assertThat(explanation.allow()).as(context).isEqualTo(notAllowed.allowHeader());
        } else {
            assertThat(explanation.outcome()).as(context).isEqualTo(Outcome.NOT_FOUND);
            assertThat(explanation.route()).as(context).isNull();
        }
    }

    /** @param routerOfItsOwn a router holding {@code route} alone */
    private static void assertReasonsAgreeWithTheRouteAlone(RoutingExplanation explanation, RouteConfig route,
                                                            Router<Route> routerOfItsOwn, Request probe,
                                                            Supplier<String> context) {
        RouteResult alone = routerOfItsOwn.match(probe.method, probe.host, probe.path, probe.query, probe.headers);
        boolean winner = explanation.outcome() == Outcome.MATCHED && explanation.route().id().equals(route.id());
        List<String> codes = explanation.nearMisses().stream().filter(miss -> miss.route().id().equals(route.id()))
                .findFirst().map(miss -> miss.reasons().stream().map(Reason::code).toList()).orElse(null);
        Supplier<String> about = () -> route.id() + " in " + context.get();
        if (alone instanceof RouteResult.Matched) {
            assertThat(winner || (codes != null && codes.size() == 1 && LOST_ON_RANK.contains(codes.get(0))))
                    .as(() -> "full match " + about.get() + ": won or lost on rank, got " + codes).isTrue();
        } else if (alone instanceof RouteResult.MethodNotAllowed) {
            assertThat(codes).as(about).containsExactly("method_not_allowed");
        } else {
            assertThat(winner).as(about).isFalse();
            if (codes != null) {
                assertThat(codes).as(about).isNotEmpty()
                        .anyMatch(code -> Set.of("path_mismatch", "host_mismatch", "header_mismatch",
                                "query_mismatch").contains(code));
            }
        }
    }

    /** Positive when {@code a} outranks {@code b}: an oracle written apart from the code under test. */
    private static int rank(RouteFacts a, RouteFacts b) {
        if (a.priority() != b.priority()) {
            return Integer.compare(a.priority(), b.priority());
        }
        if (!a.kind().equals(b.kind())) {
            return Integer.compare(KIND_RANK.get(a.kind()), KIND_RANK.get(b.kind()));
        }
        if (a.specificity() != b.specificity()) {
            return Integer.compare(a.specificity(), b.specificity());
        }
        return Integer.compare(b.position(), a.position());
    }

    private RouteSpec randomRoute(String id) {
        RouteSpec spec = switch (random.nextInt(4)) {
            case 0 -> RouteSpec.exact(id, randomPath(1 + random.nextInt(3), false));
            case 1 -> RouteSpec.prefix(id, random.nextInt(5) == 0 ? "/" : randomPath(1 + random.nextInt(2), false));
            case 2 -> RouteSpec.template(id, randomTemplate());
            default -> RouteSpec.regex(id, random.nextBoolean() ? "/[ab]/.*" : "/" + pick(SEGMENTS) + "(/.*)?");
        };
        switch (random.nextInt(4)) {
            case 0 -> spec.methods("GET");
            case 1 -> spec.methods("POST");
            case 2 -> spec.methods("GET", "DELETE");
            default -> { } // any method
        }
        if (random.nextInt(4) == 0) {
            spec.host(random.nextBoolean() ? "a.example.com" : "*.example.com");
        }
        if (random.nextInt(4) == 0) {
            spec.header("x-v", pick(new String[] {"1", "", "~[12]"}));
        }
        if (random.nextInt(5) == 0) {
            spec.query("q", pick(new String[] {"1", ""}));
        }
        if (random.nextInt(3) == 0) {
            spec.priority(random.nextInt(3) - 1);
        }
        return spec;
    }

    private Request randomRequest() {
        HttpHeaders headers = new DefaultHttpHeaders();
        if (random.nextBoolean()) {
            headers.add("X-V", pick(new String[] {"1", "2", "3"}));
        }
        return new Request(pick(new String[] {"GET", "HEAD", "POST", "DELETE"}),
                pick(new String[] {null, "a.example.com", "b.example.com", "example.com"}),
                randomPath(random.nextInt(4), random.nextInt(4) == 0),
                pick(new String[] {null, "q=1", "q=2", "r=1"}), headers);
    }

    private String randomPath(int depth, boolean trailingSlash) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            path.append('/').append(pick(SEGMENTS));
        }
        return path.isEmpty() || trailingSlash ? path.append('/').toString() : path.toString();
    }

    private String randomTemplate() {
        StringBuilder template = new StringBuilder();
        int depth = 1 + random.nextInt(3);
        for (int i = 0; i < depth; i++) {
            template.append('/').append(random.nextBoolean() ? "{v" + i + "}" : pick(SEGMENTS));
        }
        return template.toString();
    }

    private <T> T pick(T[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    private record Request(String method, String host, String path, String query, HttpHeaders headers) {
        @Override
        public String toString() {
            return method + " " + host + " " + path + "?" + query + " " + headers.entries();
        }
    }
}
