package io.gatehouse.route;

import static io.gatehouse.route.RouteSpec.exact;
import static io.gatehouse.route.RouteSpec.prefix;
import static io.gatehouse.route.RouteSpec.regex;
import static io.gatehouse.route.RouteSpec.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RouterTest {

    static Router router(RouteSpec... specs) {
        return Router.compile(Arrays.stream(specs).map(RouteSpec::build).toList());
    }

    static RouteResult get(Router router, String path) {
        return router.match("GET", null, path, null, new DefaultHttpHeaders());
    }

    /** The id of the matched route, or "404" / "405 <Allow>" for the other results. */
    static String outcome(RouteResult result) {
        if (result instanceof RouteResult.Matched matched) {
            return matched.route().id();
        }
        if (result instanceof RouteResult.MethodNotAllowed notAllowed) {
            return "405 " + notAllowed.allowHeader();
        }
        return "404";
    }

    static String routeFor(Router router, String path) {
        return outcome(get(router, path));
    }

    static RouteResult.Matched matched(RouteResult result) {
        assertThat(result).isInstanceOf(RouteResult.Matched.class);
        return (RouteResult.Matched) result;
    }

    @ParameterizedTest
    @CsvSource({"/health, health", "/health/, 404", "/healthz, 404", "/, 404", "/api/health, 404"})
    void exactPathMatchesOnlyThatPath(String path, String expected) {
        assertThat(routeFor(router(exact("health", "/health")), path)).isEqualTo(expected);
    }

    @Test
    void exactPathFromConfigIsNormalizedLikeRequestPaths() {
        assertThat(routeFor(router(exact("r", "/a/./b//c/%7Ed")), "/a/b/c/~d")).isEqualTo("r");
    }

    @ParameterizedTest
    @CsvSource({
            "/users, users", "/users/, users", "/users/7, users", "/users/7/posts, users",
            "/userspace, 404", "/user, 404", "/users-old/7, 404", "/, 404", "/api/users, 404",
    })
    void prefixMatchesOnSegmentBoundariesOnly(String path, String expected) {
        assertThat(routeFor(router(prefix("users", "/users")), path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/a", "/a/b/c", "/users/"})
    void rootPrefixMatchesEverything(String path) {
        assertThat(routeFor(router(prefix("root", "/")), path)).isEqualTo("root");
    }

    @ParameterizedTest
    @CsvSource({"/api, api", "/api/, api", "/api/x, api", "/apix, 404"})
    void prefixWithTrailingSlashMatchesLikeWithout(String path, String expected) {
        assertThat(routeFor(router(prefix("api", "/api/")), path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"/users/7, users", "/users/abc, users", "/users, 404", "/users/, 404", "/users/7/x, 404",
            "/people/7, 404"})
    void templatePlaceholderMatchesExactlyOneNonEmptySegment(String path, String expected) {
        assertThat(routeFor(router(template("users", "/users/{id}")), path)).isEqualTo(expected);
    }

    @Test
    void templateMatchYieldsPathParams() {
        Router router = router(template("user", "/orgs/{org}/users/{id}"));

        RouteResult.Matched result = matched(get(router, "/orgs/acme/users/42"));

        assertThat(result.route().id()).isEqualTo("user");
        assertThat(result.pathParams()).containsExactlyInAnyOrderEntriesOf(Map.of("org", "acme", "id", "42"));
    }

    @Test
    void templateWithLeadingPlaceholderMatches() {
        Router router = router(template("t", "/{tenant}/status"));

        assertThat(matched(get(router, "/acme/status")).pathParams()).isEqualTo(Map.of("tenant", "acme"));
        assertThat(routeFor(router, "/acme/health")).isEqualTo("404");
    }

    @ParameterizedTest
    @CsvSource({"/v2/items, versioned", "/v10/items/7, versioned", "/api/v2/items, 404", "/v2, 404",
            "/vx/items, 404"})
    void regexMustMatchTheWholePath(String path, String expected) {
        assertThat(routeFor(router(regex("versioned", "/v[0-9]+/items(/.*)?")), path)).isEqualTo(expected);
    }

    @Test
    void nonTemplateMatchesHaveEmptyPathParams() {
        Router router = router(exact("e", "/e"), prefix("p", "/p"), regex("r", "/r.*"));

        assertThat(matched(get(router, "/e")).pathParams()).isEmpty();
        assertThat(matched(get(router, "/p/1")).pathParams()).isEmpty();
        assertThat(matched(get(router, "/r1")).pathParams()).isEmpty();
    }

    @Test
    void specificityIsExactThenTemplateThenPrefixThenRegex() {
        List<RouteSpec> specs = new ArrayList<>(List.of(
                regex("regex", "/users/.*"),
                prefix("prefix", "/users"),
                template("template", "/users/{id}"),
                exact("exact", "/users/7")));

        for (String expected : List.of("exact", "template", "prefix", "regex")) {
            assertThat(routeFor(router(specs.toArray(RouteSpec[]::new)), "/users/7")).isEqualTo(expected);
            specs.remove(specs.size() - 1);
        }
    }

    @Test
    void longestPrefixWins() {
        Router router = router(prefix("root", "/"), prefix("api", "/api"), prefix("v1", "/api/v1"));

        assertThat(routeFor(router, "/api/v1/users")).isEqualTo("v1");
        assertThat(routeFor(router, "/api/v1")).isEqualTo("v1");
        assertThat(routeFor(router, "/api/v2/users")).isEqualTo("api");
        assertThat(routeFor(router, "/other")).isEqualTo("root");
    }

    @Test
    void templateWithMoreLiteralSegmentsWins() {
        Router router = router(template("generic", "/{kind}/{id}"), template("users", "/users/{id}"));

        assertThat(routeFor(router, "/users/7")).isEqualTo("users");
        assertThat(routeFor(router, "/items/7")).isEqualTo("generic");
    }

    @Test
    void explicitPriorityOverridesSpecificity() {
        Router router = router(exact("exact", "/users/7"), regex("regex", "/users/.*").priority(10));

        assertThat(routeFor(router, "/users/7")).isEqualTo("regex");
    }

    @Test
    void unsetPriorityCountsAsZero() {
        Router router = router(exact("low", "/x").priority(-1), prefix("default", "/"));

        assertThat(routeFor(router, "/x")).isEqualTo("default");
    }

    @Test
    void shorterPrefixWithHigherPriorityBeatsLongerPrefix() {
        Router router = router(prefix("long", "/api/v1"), prefix("short", "/api").priority(1));

        assertThat(routeFor(router, "/api/v1/x")).isEqualTo("short");
    }

    @Test
    void configOrderBreaksRemainingTies() {
        assertThat(routeFor(router(prefix("first", "/api"), prefix("second", "/api/")), "/api/x"))
                .isEqualTo("first");
        assertThat(routeFor(router(exact("first", "/x"), exact("second", "/x")), "/x")).isEqualTo("first");
        assertThat(routeFor(router(regex("first", "/x.*"), regex("second", "/x.*")), "/x1")).isEqualTo("first");
        assertThat(routeFor(router(template("first", "/{a}"), template("second", "/{b}")), "/x"))
                .isEqualTo("first");
    }

    @Test
    void unmatchedPathIsNotFound() {
        Router router = router(exact("a", "/a"), prefix("b", "/b"));

        assertThat(get(router, "/c")).isSameAs(RouteResult.NotFound.INSTANCE);
        assertThat(get(Router.compile(List.of()), "/")).isSameAs(RouteResult.NotFound.INSTANCE);
    }

    @Test
    void wrongMethodIsMethodNotAllowedWithSortedUnionOfAllowedMethods() {
        Router router = router(
                exact("write", "/items").methods("PUT", "POST"),
                prefix("read", "/items").methods("GET", "POST"),
                exact("elsewhere", "/other").methods("PATCH"));

        RouteResult result = router.match("DELETE", null, "/items", null, new DefaultHttpHeaders());

        assertThat(outcome(result)).isEqualTo("405 GET, HEAD, POST, PUT");
    }

    @Test
    void methodNotAllowedCarriesTheRouteThatWouldHaveWon() {
        Router router = router(
                prefix("read", "/items").methods("GET"),
                exact("write", "/items").methods("PUT"),
                prefix("root", "/").methods("POST"));

        RouteResult result = router.match("DELETE", null, "/items", null, new DefaultHttpHeaders());

        assertThat(result).isInstanceOf(RouteResult.MethodNotAllowed.class);
        assertThat(((RouteResult.MethodNotAllowed) result).route().id()).isEqualTo("write");
    }

    @Test
    void headIsAllowedWhereverGetIs() {
        Router router = router(exact("read", "/items").methods("GET"), exact("write", "/other").methods("POST"));

        assertThat(outcome(router.match("HEAD", null, "/items", null, new DefaultHttpHeaders()))).isEqualTo("read");
        assertThat(outcome(router.match("HEAD", null, "/other", null, new DefaultHttpHeaders())))
                .isEqualTo("405 POST");
        assertThat(outcome(router.match("PUT", null, "/items", null, new DefaultHttpHeaders())))
                .isEqualTo("405 GET, HEAD");
    }

    @Test
    void routeMatchingOnMethodBeatsMoreSpecificRouteWithOtherMethods() {
        Router router = router(exact("post-only", "/items").methods("POST"), prefix("any", "/items"));

        assertThat(routeFor(router, "/items")).isEqualTo("any");
        assertThat(outcome(router.match("POST", null, "/items", null, new DefaultHttpHeaders())))
                .isEqualTo("post-only");
    }

    @Test
    void routesFailingAnotherConditionDoNotContributeToAllow() {
        Router router = router(
                exact("other-host", "/items").methods("POST").host("other.example.com"),
                exact("put", "/items").methods("PUT"));

        assertThat(routeFor(router, "/items")).isEqualTo("405 PUT");
    }

    @Test
    void methodsAreCaseSensitive() {
        Router router = router(exact("get", "/x").methods("GET"));

        assertThat(outcome(router.match("get", null, "/x", null, new DefaultHttpHeaders())))
                .isEqualTo("405 GET, HEAD");
    }

    @ParameterizedTest
    @CsvSource({"/api/users, /users", "/api/users/7, /users/7", "/api, /", "/api/, /"})
    void stripPrefixRemovesTheMatchedPrefix(String path, String upstream) {
        Router router = router(prefix("api", "/api").stripPrefix());

        assertThat(matched(get(router, path)).route().upstreamPath(path)).isEqualTo(upstream);
    }

    @ParameterizedTest
    @CsvSource({
            "/v2, /api/users, /v2/users",
            "/v2, /api, /v2",
            "/v2, /api/, /v2/",
            "/v2/, /api/users, /v2/users",
            "/, /api/users, /users",
            "/, /api, /",
            "/internal/api, /api/a/b, /internal/api/a/b",
    })
    void rewriteReplacesThePrefixWithoutDoubleSlash(String rewrite, String path, String upstream) {
        Router router = router(prefix("api", "/api").rewrite(rewrite));

        assertThat(matched(get(router, path)).route().upstreamPath(path)).isEqualTo(upstream);
    }

    @Test
    void rewriteTakesPrecedenceOverStripPrefix() {
        Route route = matched(get(router(prefix("api", "/api").stripPrefix().rewrite("/v2")), "/api/x")).route();

        assertThat(route.upstreamPath("/api/x")).isEqualTo("/v2/x");
    }

    @Test
    void pathIsForwardedUnchangedWithoutStripOrRewrite() {
        Router router = router(prefix("api", "/api"), exact("e", "/e").stripPrefix(), prefix("root", "/").stripPrefix());

        assertThat(matched(get(router, "/api/x")).route().upstreamPath("/api/x")).isEqualTo("/api/x");
        assertThat(matched(get(router, "/e")).route().upstreamPath("/e")).isEqualTo("/e");
        assertThat(matched(get(router, "/x/y")).route().upstreamPath("/x/y")).isEqualTo("/x/y");
    }

    @Test
    void upstreamPathRejectsPathOutsideThePrefix() {
        Route route = matched(get(router(prefix("api", "/api").stripPrefix()), "/api")).route();

        assertThatThrownBy(() -> route.upstreamPath("/other")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void routeExposesItsConfiguration() {
        RouteSpec spec = exact("r1", "/r").methods("GET").preserveHost().responseTimeout(Duration.ofSeconds(3));
        Route route = matched(get(router(spec), "/r")).route();

        assertThat(route.id()).isEqualTo("r1");
        assertThat(route.poolName()).isEqualTo("pool-r1");
        assertThat(route.config().timeouts().response()).isEqualTo(Duration.ofSeconds(3));
        assertThat(route.preserveHost()).isTrue();
        assertThat(route.config()).isEqualTo(spec.build());
        assertThat(route.allowsMethod("GET")).isTrue();
        assertThat(route.allowsMethod("POST")).isFalse();
    }

    @Test
    void routeWithoutMethodsAllowsAnyMethod() {
        Route route = matched(get(router(exact("r", "/r")), "/r")).route();

        assertThat(route.allowsMethod("PROPFIND")).isTrue();
    }

    @Test
    void traceAndConnectNeedARouteThatListsThem() {
        Router router = router(prefix("any", "/"), exact("diag", "/diag").methods("GET", "TRACE"));

        assertThat(outcome(router.match("TRACE", null, "/x", null, new DefaultHttpHeaders())))
                .isEqualTo("405 DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
        assertThat(outcome(router.match("CONNECT", null, "/x", null, new DefaultHttpHeaders())))
                .isEqualTo("405 DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
        assertThat(outcome(router.match("TRACE", null, "/diag", null, new DefaultHttpHeaders()))).isEqualTo("diag");
    }

    @Test
    void findsTheRightRouteAmongTenThousand() {
        List<RouteSpec> specs = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            specs.add(i % 2 == 0 ? prefix("p" + i, "/svc" + i) : exact("e" + i, "/svc" + i + "/status"));
            specs.add(template("t" + i, "/tenants/t" + i + "/users/{id}"));
        }
        Router router = router(specs.toArray(RouteSpec[]::new));

        assertThat(routeFor(router, "/svc9998/a/b")).isEqualTo("p9998");
        assertThat(routeFor(router, "/svc9999/status")).isEqualTo("e9999");
        assertThat(routeFor(router, "/svc9999/other")).isEqualTo("404");
        assertThat(matched(get(router, "/tenants/t4321/users/9")).route().id()).isEqualTo("t4321");
    }

    static Stream<RouteSpec> invalidRoutes() {
        return Stream.of(
                RouteSpec.unconstrained("none"),
                exact("two", "/a").alsoPrefix("/b"),
                regex("bad-regex", "/a("),
                template("bad-template", "/a/{id"),
                template("repeated-param", "/a/{id}/{id}"),
                template("empty-segment", "/a//{id}"),
                exact("relative", "relative"),
                prefix("encoded-slash", "/a%2Fb"),
                prefix("bare-wildcard", "/").host("*."));
    }

    @ParameterizedTest
    @MethodSource("invalidRoutes")
    void invalidRouteIsRejectedNamingIt(RouteSpec spec) {
        assertThatThrownBy(() -> router(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("route " + spec.build().id() + ": ");
    }
}
