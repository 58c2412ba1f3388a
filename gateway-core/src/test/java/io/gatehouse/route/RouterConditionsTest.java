package io.gatehouse.route;

import static io.gatehouse.route.RouteSpec.exact;
import static io.gatehouse.route.RouteSpec.prefix;
import static io.gatehouse.route.RouterTest.outcome;
import static io.gatehouse.route.RouterTest.router;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Host, header and query conditions of {@link Router}. */
class RouterConditionsTest {

    private static String routeForHost(Router router, String host) {
        return outcome(router.match("GET", host, "/", null, new DefaultHttpHeaders()));
    }

    private static String routeForHeaders(Router router, HttpHeaders headers) {
        return outcome(router.match("GET", null, "/", null, headers));
    }

    private static String routeForQuery(Router router, String rawQuery) {
        return outcome(router.match("GET", null, "/", rawQuery, new DefaultHttpHeaders()));
    }

    @ParameterizedTest
    @CsvSource({"api.example.com, api", "www.example.com, 404", "example.com, 404", "api.example.com.evil.com, 404"})
    void exactHostMatchesOnlyThatHost(String host, String expected) {
        assertThat(routeForHost(router(prefix("api", "/").host("api.example.com")), host)).isEqualTo(expected);
    }

    @Test
    void configuredHostIsCaseInsensitive() {
        assertThat(routeForHost(router(prefix("api", "/").host("API.Example.COM")), "api.example.com"))
                .isEqualTo("api");
    }

    @ParameterizedTest
    @CsvSource({
            "a.example.com, wild", "a.b.example.com, wild", "example.com, 404", "example.com.evil.com, 404",
            "evilexample.com, 404", ".example.com, 404", "a.example.org, 404",
    })
    void wildcardHostMatchesSubdomainsOnly(String host, String expected) {
        assertThat(routeForHost(router(prefix("wild", "/").host("*.example.com")), host)).isEqualTo(expected);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = "")
    void routeWithHostConditionNeedsARequestHost(String host) {
        Router router = router(prefix("hosted", "/").host("api.example.com"), prefix("any", "/").priority(-1));

        assertThat(routeForHost(router, host)).isEqualTo("any");
    }

    @Test
    void routeWithoutHostConditionMatchesAnyOrNoHost() {
        Router router = router(prefix("any", "/"));

        assertThat(routeForHost(router, null)).isEqualTo("any");
        assertThat(routeForHost(router, "whatever.test")).isEqualTo("any");
    }

    @Test
    void moreSpecificRouteWhoseHostFailsFallsBackToLessSpecific() {
        Router router = router(exact("admin", "/").host("admin.example.com"), prefix("public", "/"));

        assertThat(routeForHost(router, "admin.example.com")).isEqualTo("admin");
        assertThat(routeForHost(router, "www.example.com")).isEqualTo("public");
    }

    @Test
    void exactHeaderMatchesOnlyThatValue() {
        Router router = router(prefix("canary", "/").header("x-env", "canary"));

        assertThat(routeForHeaders(router, new DefaultHttpHeaders().add("X-Env", "canary"))).isEqualTo("canary");
        assertThat(routeForHeaders(router, new DefaultHttpHeaders().add("x-env", "canary2"))).isEqualTo("404");
        assertThat(routeForHeaders(router, new DefaultHttpHeaders().add("x-env", "Canary"))).isEqualTo("404");
        assertThat(routeForHeaders(router, new DefaultHttpHeaders())).isEqualTo("404");
    }

    @ParameterizedTest
    @CsvSource({"v1, versioned", "v2, versioned", "v12, 404", "xv1, 404", "v1x, 404", "'', 404"})
    void regexHeaderMustMatchTheWholeValue(String value, String expected) {
        Router router = router(prefix("versioned", "/").header("x-version", "~v[12]"));

        assertThat(routeForHeaders(router, new DefaultHttpHeaders().add("x-version", value))).isEqualTo(expected);
    }

    @Test
    void emptyExpectedHeaderMeansPresentWithAnyValue() {
        Router router = router(prefix("traced", "/").header("x-trace", ""));

        assertThat(routeForHeaders(router, new DefaultHttpHeaders().add("x-trace", "abc"))).isEqualTo("traced");
        assertThat(routeForHeaders(router, new DefaultHttpHeaders().add("x-trace", ""))).isEqualTo("traced");
        assertThat(routeForHeaders(router, new DefaultHttpHeaders().add("x-other", "abc"))).isEqualTo("404");
    }

    @Test
    void anyValueOfARepeatedHeaderCanSatisfyTheCondition() {
        Router router = router(prefix("canary", "/").header("x-env", "canary"));
        HttpHeaders headers = new DefaultHttpHeaders().add("x-env", "prod").add("x-env", "canary");

        assertThat(routeForHeaders(router, headers)).isEqualTo("canary");
    }

    @Test
    void everyHeaderConditionMustHold() {
        Router router = router(prefix("both", "/").header("x-a", "1").header("x-b", ""));

        assertThat(routeForHeaders(router, new DefaultHttpHeaders().add("x-a", "1").add("x-b", "z")))
                .isEqualTo("both");
        assertThat(routeForHeaders(router, new DefaultHttpHeaders().add("x-a", "1"))).isEqualTo("404");
    }

    @Test
    void moreSpecificRouteWhoseHeaderFailsFallsBackToLessSpecific() {
        Router router = router(exact("beta", "/").header("x-beta", "1"), prefix("stable", "/"));

        assertThat(routeForHeaders(router, new DefaultHttpHeaders().add("x-beta", "1"))).isEqualTo("beta");
        assertThat(routeForHeaders(router, new DefaultHttpHeaders())).isEqualTo("stable");
    }

    @ParameterizedTest
    @CsvSource({
            "version=2, v2", "a=1&version=2, v2", "version=1&version=2, v2", "version=3, 404",
            "version=22, 404", "xversion=2, 404", "a=1;version=2, 404", "version=%32, v2",
    })
    void exactQueryParameterMatches(String rawQuery, String expected) {
        assertThat(routeForQuery(router(prefix("v2", "/").query("version", "2")), rawQuery)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"id=42, numeric", "id=4a, 404", "id=, 404"})
    void regexQueryParameterMustMatchTheWholeValue(String rawQuery, String expected) {
        assertThat(routeForQuery(router(prefix("numeric", "/").query("id", "~[0-9]+")), rawQuery))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"debug, debug", "debug=, debug", "debug=1, debug", "x=1&debug, debug", "debugx=1, 404"})
    void emptyExpectedQueryParameterMeansPresent(String rawQuery, String expected) {
        assertThat(routeForQuery(router(prefix("debug", "/").query("debug", "")), rawQuery)).isEqualTo(expected);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "version=%zz", "version=%2"})
    void missingOrMalformedQuerySatisfiesNoQueryCondition(String rawQuery) {
        Router router = router(prefix("v2", "/").query("version", ""), prefix("fallback", "/").priority(-1));

        assertThat(routeForQuery(router, rawQuery)).isEqualTo("fallback");
    }

    @Test
    void queryConditionFailingFallsBackToLessSpecificRoute() {
        Router router = router(exact("preview", "/").query("preview", "true"), prefix("site", "/"));

        assertThat(routeForQuery(router, "preview=true")).isEqualTo("preview");
        assertThat(routeForQuery(router, "preview=false")).isEqualTo("site");
    }
}
