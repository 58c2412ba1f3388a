package io.gatehouse.route;

import static io.gatehouse.route.RouteSpec.exact;
import static io.gatehouse.route.RouteSpec.prefix;
import static io.gatehouse.route.RouteSpec.regex;
import static io.gatehouse.route.RouteSpec.template;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import org.junit.jupiter.api.Test;

import java.util.List;

/** {@link Router#withHandles}: the same routing, other handles, nothing compiled again. */
class RouterHandlesTest {
    private final Router<String> router = Router.compile(List.of(
            exact("e", "/e").build(), prefix("p", "/p").build(), template("t", "/t/{id}").build(),
            regex("r", "^/r[0-9]+$").build(), prefix("root", "/").methods("POST").build()), route -> "v1:" + route.id());

    @Test
    void everyKindOfRouteHandsBackItsMappedHandle() {
        Router<String> mapped = router.withHandles(handle -> handle.equals("v1:p") || handle.equals("v1:r")
                ? handle.replace("v1", "v2") : handle);

        assertThat(handle(mapped, "GET", "/e")).isEqualTo("v1:e");
        assertThat(handle(mapped, "GET", "/p/x")).isEqualTo("v2:p");
        assertThat(handle(mapped, "GET", "/t/7")).isEqualTo("v1:t");
        assertThat(handle(mapped, "GET", "/r42")).isEqualTo("v2:r");
        assertThat(handle(mapped, "POST", "/other")).isEqualTo("v1:root");
        assertThat(mapped.match("GET", null, "/other", null, new DefaultHttpHeaders()))
                .as("405s as before").isInstanceOf(RouteResult.MethodNotAllowed.class);
        assertThat(((RouteResult.Matched<String>) mapped.match("GET", null, "/t/7", null, new DefaultHttpHeaders()))
                .pathParams()).containsEntry("id", "7");
        assertThat(handle(router, "GET", "/p/x")).as("the original is unchanged").isEqualTo("v1:p");
    }

    private static String handle(Router<String> router, String method, String path) {
        RouteResult<String> result = router.match(method, null, path, null, new DefaultHttpHeaders());
        assertThat(result).isInstanceOf(RouteResult.Matched.class);
        return ((RouteResult.Matched<String>) result).handle();
    }
}
