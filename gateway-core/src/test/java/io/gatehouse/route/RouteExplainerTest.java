package io.gatehouse.route;

import static io.gatehouse.route.RouteSpec.exact;
import static io.gatehouse.route.RouteSpec.prefix;
import static io.gatehouse.route.RouteSpec.regex;
import static io.gatehouse.route.RouteSpec.template;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.RouteConfig;
import io.gatehouse.route.RoutingExplanation.NearMiss;
import io.gatehouse.route.RoutingExplanation.Outcome;
import io.gatehouse.route.RoutingExplanation.Reason;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** {@link RouteExplainer}: the winner and why, and every kind of reason a route that came close did not win. */
class RouteExplainerTest {

    private static RoutingExplanation explain(List<RouteSpec> specs, String method, String host, String path,
                                              String query, HttpHeaders headers) {
        List<RouteConfig> routes = specs.stream().map(RouteSpec::build).toList();
        RouteExplainer explainer = new RouteExplainer(routes, Router.compile(routes));
        return explainer.explain(method, host, path, query, headers);
    }

    private static RoutingExplanation get(String path, RouteSpec... specs) {
        return explain(Arrays.asList(specs), "GET", null, path, null, new DefaultHttpHeaders());
    }

    private static NearMiss miss(RoutingExplanation explanation, String routeId) {
        return explanation.nearMisses().stream().filter(m -> m.route().id().equals(routeId)).findFirst()
                .orElseThrow(() -> new AssertionError(routeId + " not among " + explanation.nearMisses()));
    }

    private static List<String> codes(NearMiss miss) {
        return miss.reasons().stream().map(Reason::code).toList();
    }

    @Test
    void theOnlyMatchingRouteWinsAsTheOnlyMatch() {
        RoutingExplanation explanation = get("/users", exact("users", "/users"), exact("orders", "/orders"));

        assertThat(explanation.outcome()).isEqualTo(Outcome.MATCHED);
        assertThat(explanation.route().id()).isEqualTo("users");
        assertThat(explanation.route().kind()).isEqualTo("exact");
        assertThat(explanation.wonBecause().code()).isEqualTo("only_match");
        assertThat(explanation.nearMisses()).isEmpty();
        assertThat(explanation.otherRoutes()).as("orders: nowhere near").isEqualTo(1);
    }

    @Test
    void aTemplateCapturesItsVariables() {
        RoutingExplanation explanation = get("/orgs/acme/users/7", template("user", "/orgs/{org}/users/{id}"));

        assertThat(explanation.route().kind()).isEqualTo("template");
        assertThat(explanation.route().specificity()).as("literal segments").isEqualTo(2);
        assertThat(explanation.pathParams()).isEqualTo(Map.of("org", "acme", "id", "7"));
    }

    @Test
    void theForwardedPathIsTheOneAfterStripPrefixOrRewrite() {
        assertThat(get("/api/users/7", prefix("api", "/api").stripPrefix()).upstreamPath()).isEqualTo("/users/7");
        assertThat(get("/api/users/7", prefix("api", "/api").rewrite("/v2")).upstreamPath())
                .isEqualTo("/v2/users/7");
        assertThat(get("/api/users/7", prefix("api", "/api")).upstreamPath()).isEqualTo("/api/users/7");
    }

    @Test
    void aRouteForAnotherMethodSaysWhichMethodsItAllows() {
        RoutingExplanation explanation = get("/users", exact("create", "/users").methods("POST", "PUT"),
                prefix("fallback", "/"));

        assertThat(explanation.route().id()).isEqualTo("fallback");
        NearMiss create = miss(explanation, "create");
        assertThat(codes(create)).containsExactly("method_not_allowed");
        assertThat(create.reasons().get(0).detail()).contains("GET is not allowed").contains("POST, PUT");
    }

    @Test
    void onlyWrongMethodsIsA405ThatNamesTheAllowedMethods() {
        RoutingExplanation explanation = get("/users", exact("create", "/users").methods("POST"),
                template("update", "/{collection}").methods("PUT"));

        assertThat(explanation.outcome()).isEqualTo(Outcome.METHOD_NOT_ALLOWED);
        assertThat(explanation.allow()).isEqualTo("POST, PUT");
        assertThat(explanation.route().id()).as("the refusal is counted under the best of them").isEqualTo("create");
        assertThat(explanation.upstreamPath()).isNull();
        assertThat(codes(miss(explanation, "create"))).containsExactly("method_not_allowed");
        assertThat(codes(miss(explanation, "update"))).containsExactly("method_not_allowed");
    }

    @Test
    void aHostConditionNamesTheHostItNeedsAndTheOneSent() {
        List<RouteSpec> routes = List.of(prefix("admin", "/").host("admin.example.com"), prefix("any", "/")
                .priority(-1));

        RoutingExplanation other = explain(routes, "GET", "www.example.com", "/", null, new DefaultHttpHeaders());
        RoutingExplanation none = explain(routes, "GET", null, "/", null, new DefaultHttpHeaders());

        assertThat(other.route().id()).isEqualTo("any");
        assertThat(miss(other, "admin").reasons()).singleElement().satisfies(reason -> {
            assertThat(reason.code()).isEqualTo("host_mismatch");
            assertThat(reason.detail()).contains("admin.example.com").contains("www.example.com");
        });
        assertThat(miss(none, "admin").reasons().get(0).detail()).contains("names none");
    }

    @Test
    void aHeaderConditionNamesTheHeaderAndWhatWasSent() {
        List<RouteSpec> routes = List.of(prefix("v2", "/").header("x-api-version", "2"),
                prefix("beta", "/").header("x-beta", ""), prefix("v1", "/").priority(-1));
        HttpHeaders headers = new DefaultHttpHeaders().add("X-Api-Version", "1");

        RoutingExplanation explanation = explain(routes, "GET", null, "/", null, headers);

        assertThat(explanation.route().id()).isEqualTo("v1");
        Reason version = miss(explanation, "v2").reasons().get(0);
        assertThat(version.code()).isEqualTo("header_mismatch");
        assertThat(version.detail()).contains("x-api-version").contains("the value 2").contains("has 1");
        Reason beta = miss(explanation, "beta").reasons().get(0);
        assertThat(beta.code()).isEqualTo("header_mismatch");
        assertThat(beta.detail()).contains("x-beta").contains("to be present").contains("has none");
    }

    @Test
    void aQueryConditionNamesTheParameter() {
        List<RouteSpec> routes = List.of(prefix("preview", "/").query("preview", "~(yes|true)"), prefix("any", "/")
                .priority(-1));

        RoutingExplanation explanation = explain(routes, "GET", null, "/", "preview=no", new DefaultHttpHeaders());

        Reason reason = miss(explanation, "preview").reasons().get(0);
        assertThat(reason.code()).isEqualTo("query_mismatch");
        assertThat(reason.detail()).contains("preview").contains("matching (yes|true)").contains("has no");
    }

    @Test
    void everyUnmetConditionIsListedInTheOrderRoutingChecksThem() {
        List<RouteSpec> routes = List.of(prefix("picky", "/").host("api.example.com").header("x-a", "1")
                .query("q", "").methods("POST"));

        RoutingExplanation explanation = explain(routes, "GET", "other.example.com", "/", null,
                new DefaultHttpHeaders());

        assertThat(explanation.outcome()).isEqualTo(Outcome.NOT_FOUND);
        assertThat(codes(miss(explanation, "picky")))
                .containsExactly("host_mismatch", "header_mismatch", "query_mismatch", "method_not_allowed");
    }

    @Test
    void aFullMatchLosesOnPriority() {
        RoutingExplanation explanation = get("/users", exact("exact", "/users"), prefix("boosted", "/").priority(5));

        assertThat(explanation.route().id()).isEqualTo("boosted");
        assertThat(explanation.wonBecause().code()).isEqualTo("higher_priority");
        assertThat(explanation.wonBecause().detail()).contains("priority 5").contains("route exact");
        Reason lost = miss(explanation, "exact").reasons().get(0);
        assertThat(lost.code()).isEqualTo("lower_priority");
        assertThat(lost.detail()).contains("priority 0").contains("route boosted");
    }

    @Test
    void aFullMatchLosesOnTheKindOfMatch() {
        RoutingExplanation explanation = get("/users/7", regex("regex", "/users/[0-9]+"),
                prefix("prefix", "/users"), template("template", "/users/{id}"));

        assertThat(explanation.route().id()).isEqualTo("template");
        assertThat(explanation.wonBecause().code()).isEqualTo("more_specific_kind");
        assertThat(codes(miss(explanation, "prefix"))).containsExactly("less_specific_kind");
        assertThat(codes(miss(explanation, "regex"))).containsExactly("less_specific_kind");
        assertThat(explanation.nearMisses()).extracting(m -> m.route().id())
                .as("the closest first").containsExactly("prefix", "regex");
    }

    @Test
    void aFullMatchLosesOnSpecificity() {
        RoutingExplanation prefixes = get("/api/users/7", prefix("api", "/api"), prefix("users", "/api/users"));
        RoutingExplanation templates = get("/orgs/acme/users", template("loose", "/orgs/{org}/{what}"),
                template("tight", "/orgs/{org}/users"));

        assertThat(prefixes.route().id()).isEqualTo("users");
        Reason shorter = miss(prefixes, "api").reasons().get(0);
        assertThat(shorter.code()).isEqualTo("less_specific");
        assertThat(shorter.detail()).contains("4 characters").contains("10 characters");
        assertThat(templates.route().id()).isEqualTo("tight");
        assertThat(miss(templates, "loose").reasons().get(0).detail())
                .contains("1 literal segments").contains("2 literal segments");
    }

    @Test
    void aFullTieGoesToTheEarlierRoute() {
        RoutingExplanation explanation = get("/users", exact("first", "/users"), exact("second", "/users"));

        assertThat(explanation.route().id()).isEqualTo("first");
        assertThat(explanation.wonBecause().code()).isEqualTo("earlier_in_config");
        Reason later = miss(explanation, "second").reasons().get(0);
        assertThat(later.code()).isEqualTo("later_in_config");
        assertThat(later.detail()).contains("routes[1]").contains("routes[0]");
    }

    @Test
    void anExactPathOffByATrailingSlashIsANearMiss() {
        RoutingExplanation explanation = get("/users/", exact("users", "/users"));

        assertThat(explanation.outcome()).isEqualTo(Outcome.NOT_FOUND);
        Reason reason = miss(explanation, "users").reasons().get(0);
        assertThat(reason.code()).isEqualTo("path_mismatch");
        assertThat(reason.detail()).contains("trailing slash");
    }

    @Test
    void aPrefixMatchesWholeSegmentsOnly() {
        RoutingExplanation explanation = get("/apix", prefix("api", "/api"));

        assertThat(miss(explanation, "api").reasons().get(0).detail()).contains("whole segments")
                .contains("/apix");
    }

    @Test
    void aTemplateOneSegmentOffOrWithAnEmptyVariableIsANearMiss() {
        RoutingExplanation longer = get("/users/7/orders", template("user", "/users/{id}"));
        RoutingExplanation empty = get("/users/", template("user", "/users/{id}"));
        RoutingExplanation elsewhere = get("/orders/7", template("user", "/users/{id}"));

        assertThat(miss(longer, "user").reasons().get(0).detail()).contains("has 2 segments, the path 3");
        assertThat(miss(empty, "user").reasons().get(0).detail()).contains("non-empty segment 2");
        assertThat(elsewhere.nearMisses()).isEmpty();
        assertThat(elsewhere.otherRoutes()).isEqualTo(1);
    }

    @Test
    void aRouteWhosePathMatchesIsListedWithItsOtherFailures() {
        RoutingExplanation explanation = explain(List.of(template("user", "/users/{id}").host("api.example.com")),
                "GET", "www.example.com", "/users/7", null, new DefaultHttpHeaders());

        assertThat(codes(miss(explanation, "user"))).containsExactly("host_mismatch");
    }

    @Test
    void theNearMissListIsBoundedAndTheRestCounted() {
        RouteSpec[] routes = IntStream.range(0, RouteExplainer.MAX_NEAR_MISSES + 20)
                .mapToObj(i -> prefix("r" + i, "/").header("x-n", String.valueOf(i))).toArray(RouteSpec[]::new);

        RoutingExplanation explanation = get("/", routes);

        assertThat(explanation.nearMisses()).hasSize(RouteExplainer.MAX_NEAR_MISSES);
        assertThat(explanation.otherRoutes()).isEqualTo(20);
        assertThat(explanation.nearMisses().get(0).route().id()).isEqualTo("r0");
    }
}
