package io.gatehouse.security;

import io.gatehouse.testing.TestGateway;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static io.gatehouse.security.SecurityFixtures.DEV_KEY;
import static io.gatehouse.security.SecurityFixtures.OPS_KEY;
import static io.gatehouse.testing.MockBackends.assertBackendUntouched;
import static io.gatehouse.security.SecurityFixtures.auth;
import static io.gatehouse.security.SecurityFixtures.echoBackend;
import static io.gatehouse.security.SecurityFixtures.errorCode;
import static io.gatehouse.security.SecurityFixtures.gateway;
import static io.gatehouse.security.SecurityFixtures.get;
import static io.gatehouse.testing.MockBackends.received;
import static io.gatehouse.security.SecurityFixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

/** Route roles: 401 without a key, 403 with a key lacking the role, 200 with it; refusals never reach the backend. */
class RolesIntegrationTest {
    private MockWebServer backend;
    private TestGateway gateway;

    @BeforeEach
    void start() throws Exception {
        backend = echoBackend();
        gateway = gateway(auth("[]"),
                route("admin", "path_prefix: /admin", backend, "auth: [api_key]", "roles: [admin]"),
                route("reports", "path_prefix: /reports", backend, "auth: [api_key]", "roles: [auditor, reader]"),
                route("public", "path_prefix: /", backend));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        backend.close();
    }

    @Test
    void noKeyIs401() throws Exception {
        HttpResponse<String> response = get(gateway, "/admin/users");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(errorCode(response.body())).isEqualTo("unauthorized");
        assertBackendUntouched(backend);
    }

    @Test
    void keyWithoutTheRoleIs403Forbidden() throws Exception {
        double before = gateway.metric("gatehouse_auth_rejections_total", "reason=\"missing_role\"");

        HttpResponse<String> response = get(gateway, "/admin/users", "X-API-Key", DEV_KEY);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("\"error\":\"forbidden\"");
        assertThat(gateway.metric("gatehouse_auth_rejections_total", "reason=\"missing_role\""))
                .isEqualTo(before + 1);
        assertThat(gateway.metric("gatehouse_consumer_requests_total", "consumer=\"dev-team\""))
                .as("a refused request is not counted as the consumer's").isZero();
        assertBackendUntouched(backend);
    }

    @Test
    void keyWithTheRoleIsAdmitted() throws Exception {
        HttpResponse<String> response = get(gateway, "/admin/users", "X-API-Key", OPS_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        RecordedRequest upstream = received(backend);
        assertThat(upstream.getTarget()).isEqualTo("/admin/users");
        assertThat(upstream.getHeaders().values("X-Consumer-Id")).containsExactly("ops");
    }

    @Test
    void anyOneOfTheRoutesRolesIsEnough() throws Exception {
        HttpResponse<String> reader = get(gateway, "/reports/q1", "X-API-Key", DEV_KEY);
        HttpResponse<String> admin = get(gateway, "/reports/q1", "X-API-Key", OPS_KEY);

        assertThat(reader.statusCode()).isEqualTo(200);
        assertThat(received(backend).getHeaders().values("X-Consumer-Id")).containsExactly("dev-team");
        assertThat(admin.statusCode()).as("ops holds neither auditor nor reader").isEqualTo(403);
        assertThat(backend.getRequestCount()).isEqualTo(1);
    }

    @Test
    void publicRouteNeedsNoKey() throws Exception {
        HttpResponse<String> response = get(gateway, "/home");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(received(backend).getTarget()).isEqualTo("/home");
    }

    @Test
    void rolesApplyToRoutesThatTakeTheirAuthFromTheDefault() throws Exception {
        try (MockWebServer defaultBackend = echoBackend();
             TestGateway byDefault = gateway(auth("[api_key]"),
                     route("admin", "path_prefix: /", defaultBackend, "roles: [admin]"))) {
            assertThat(get(byDefault, "/x").statusCode()).isEqualTo(401);
            assertThat(get(byDefault, "/x", "X-API-Key", DEV_KEY).statusCode()).isEqualTo(403);
            assertThat(defaultBackend.getRequestCount()).isZero();
            assertThat(get(byDefault, "/x", "X-API-Key", OPS_KEY).statusCode()).isEqualTo(200);
            assertThat(received(defaultBackend).getTarget()).isEqualTo("/x");
        }
    }
}
