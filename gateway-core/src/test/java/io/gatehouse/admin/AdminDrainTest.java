package io.gatehouse.admin;

import static io.gatehouse.testing.TestAdmin.TOKEN;
import static io.gatehouse.testing.TestAdmin.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.TestAdmin;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /admin/upstreams/{pool}/{backend}/drain} and {@code /undrain}. */
class AdminDrainTest {
    @TempDir
    Path dir;

    @Test
    void aDrainedBackendGetsNoRequestsUntilUndrained() throws Exception {
        try (MockWebServer one = named("one"); MockWebServer two = named("two");
             TestAdmin admin = TestAdmin.start(dir, """
                     admin: {address: "127.0.0.1:0", token: %s}
                     pools:
                       users:
                         backends: ["http://127.0.0.1:%d", "http://127.0.0.1:%d"]
                     routes:
                       - {id: users, match: {path_prefix: /users}, pool: users}
                     """.formatted(TOKEN, one.getPort(), two.getPort()))) {
            assertThat(servedBy(admin, 4)).containsOnly("one", "two");

            HttpResponse<String> drained = post(admin, "/admin/upstreams/users/127.0.0.1:" + two.getPort() + "/drain");
            assertThat(drained.statusCode()).isEqualTo(200);
            assertThat(json(drained).get("drained").asBoolean()).isTrue();
            assertThat(servedBy(admin, 6)).containsOnly("one");
            assertThat(json(admin.get("/admin/upstreams")).at("/pools/users/backends/1/drained").asBoolean()).isTrue();

            HttpResponse<String> undrained = post(admin, "/admin/upstreams/users/127.0.0.1:" + two.getPort()
                    + "/undrain");
            assertThat(json(undrained).get("drained").asBoolean()).isFalse();
            assertThat(servedBy(admin, 4)).containsOnly("one", "two");
        }
    }

    @Test
    void unknownPoolOrBackendIs404() throws Exception {
        try (TestAdmin admin = TestAdmin.start(dir, """
                admin: {address: "127.0.0.1:0", token: %s}
                routes:
                  - {id: users, match: {path_prefix: /users}, upstream: "http://127.0.0.1:9"}
                """.formatted(TOKEN))) {
            HttpResponse<String> noPool = post(admin, "/admin/upstreams/nope/127.0.0.1:9/drain");
            assertThat(noPool.statusCode()).isEqualTo(404);
            assertThat(json(noPool).get("message").asText()).isEqualTo("no pool is named nope in the running config");
            assertThat(post(admin, "/admin/upstreams/route:users/127.0.0.1:8/drain").statusCode()).isEqualTo(404);
            assertThat(post(admin, "/admin/upstreams/route%3Ausers/127.0.0.1%3A9/drain").statusCode()).isEqualTo(200);
            assertThat(admin.get("/admin/upstreams/route:users/127.0.0.1:9/drain").statusCode()).isEqualTo(405);
        }
    }

    private static HttpResponse<String> post(TestAdmin admin, String path) throws Exception {
        return admin.send(admin.request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static List<String> servedBy(TestAdmin admin, int requests) throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> response = admin.gateway().get("/users");
            assertThat(response.statusCode()).isEqualTo(200);
            names.add(response.body());
        }
        return names;
    }

    private static MockWebServer named(String name) throws Exception {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().body(name).build();
            }
        });
        server.start(0);
        return server;
    }
}
