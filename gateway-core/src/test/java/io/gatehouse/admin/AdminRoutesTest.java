package io.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AdminRoutesTest {
    private static final AdminEndpoint LIST = request -> CompletableFuture.completedFuture(null);
    private static final AdminEndpoint GET = request -> CompletableFuture.completedFuture(null);
    private static final AdminEndpoint PUT = request -> CompletableFuture.completedFuture(null);
    private static final AdminEndpoint VALIDATE = request -> CompletableFuture.completedFuture(null);

    private final AdminRoutes routes = AdminRoutes.builder()
            .add(HttpMethod.GET, "/admin/routes", LIST)
            .add(HttpMethod.GET, "/admin/routes/{key}", GET)
            .add(HttpMethod.PUT, "/admin/routes/{key}", PUT)
            .add(HttpMethod.POST, "/admin/config/validate", VALIDATE)
            .build();

    @Test
    void templatesCaptureOneDecodedSegment() {
        assertThat(routes.find(HttpMethod.GET, "/admin/routes")).isEqualTo(new AdminRoutes.Matched(LIST, Map.of()));
        assertThat(routes.find(HttpMethod.PUT, "/admin/routes/orders"))
                .isEqualTo(new AdminRoutes.Matched(PUT, Map.of("key", "orders")));
        assertThat(routes.find(HttpMethod.GET, "/admin/routes/a%2Fb"))
                .isEqualTo(new AdminRoutes.Matched(GET, Map.of("key", "a/b")));
        assertThat(routes.find(HttpMethod.POST, "/admin/config/validate"))
                .isEqualTo(new AdminRoutes.Matched(VALIDATE, Map.of()));
    }

    @Test
    void aKnownPathWithAnotherMethodListsTheMethodsItHas() {
        assertThat(routes.find(HttpMethod.DELETE, "/admin/routes/orders"))
                .isEqualTo(new AdminRoutes.WrongMethod("GET, PUT"));
        assertThat(routes.find(HttpMethod.GET, "/admin/config/validate"))
                .isEqualTo(new AdminRoutes.WrongMethod("POST"));
    }

    @Test
    void anythingElseIsNotFound() {
        for (String path : new String[] {"", "/", "/admin", "/admin/", "/admin/routes/", "/admin/routes/a/b",
                "/admin/config", "admin/routes", "/ADMIN/routes"}) {
            assertThat(routes.find(HttpMethod.GET, path)).as(path).isInstanceOf(AdminRoutes.NotFound.class);
        }
    }

    @Test
    void conflictingTemplatesAreRefusedWhenBuilt() {
        assertThatThrownBy(() -> AdminRoutes.builder().add(HttpMethod.GET, "/a/{x}", GET)
                .add(HttpMethod.PUT, "/a/{y}", PUT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdminRoutes.builder().add(HttpMethod.GET, "/a", GET).add(HttpMethod.GET, "/a", LIST))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
