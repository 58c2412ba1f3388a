package io.gatehouse.server;

import io.gatehouse.proxy.GatewaySnapshot;
import io.gatehouse.proxy.RouteHandle;
import io.gatehouse.testing.NamedBackend;
import io.gatehouse.testing.TestDiscovery;
import io.gatehouse.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Members a discovery reports are applied in proportion to the change: the pool whose members changed is rebuilt, and
 * the handles of the routes to it; the security chain, the other pools and the other routes' handles stay the very
 * same objects, so nothing is compiled again and no live state is handed over.
 */
class MembershipInstallTest {
    private static final Duration WITHIN = Duration.ofSeconds(5);

    @Test
    void aMembershipReportRebuildsOnlyItsPoolAndTheRoutesToIt() throws Exception {
        TestDiscovery discovery = new TestDiscovery();
        try (NamedBackend a = new NamedBackend("A"); NamedBackend b = new NamedBackend("B");
             NamedBackend other = new NamedBackend("other");
             TestGateway gateway = TestGateway.start(config(a, other), StartOptions.defaults().threads(2)
                     .discoveries(discovery))) {
            GatewaySnapshot before = gateway.server().snapshot();

            discovery.report(b.url());
            await().atMost(WITHIN).until(() -> gateway.server().snapshot().pools().get("users").backends().size() == 2);

            GatewaySnapshot after = gateway.server().snapshot();
            assertThat(after.security()).as("the security chain is not compiled again").isSameAs(before.security());
            assertThat(after.pools().get("other")).isSameAs(before.pools().get("other"));
            assertThat(after.routes().get("other")).as("a route to another pool keeps its handle")
                    .isSameAs(before.routes().get("other"));
            RouteHandle users = after.routes().get("users");
            RouteHandle usersBefore = before.routes().get("users");
            assertThat(users.target().pool()).isSameAs(after.pools().get("users"));
            assertThat(users.route()).isSameAs(usersBefore.route());
            assertThat(users.policy()).isSameAs(usersBefore.policy());
            assertThat(users.target().meters()).isSameAs(usersBefore.target().meters());
            assertThat(users.target().retry()).isSameAs(usersBefore.target().retry());
            assertThat(after.pools().get("users").backends().get(0)).as("the static backend is carried over")
                    .isSameAs(before.pools().get("users").backends().get(0));
            assertThat(after.config().pools().get("users").backends()).hasSize(2);

            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = gateway.get("/users/" + i);
                assertThat(response.statusCode()).isEqualTo(200);
                seen.add(response.body());
            }
            assertThat(seen).as("the router hands back the rebuilt handle").containsExactlyInAnyOrder("A", "B");
            assertThat(gateway.get("/other/1").body()).isEqualTo("other");
            assertThat(gateway.get("/users/limited").statusCode()).as("the policy's buckets are the same")
                    .isEqualTo(429);
        }
    }

    /** Route users: a rate limit of 4 a minute per client, to pool users (A, plus what the discovery reports). */
    private static String config(NamedBackend a, NamedBackend other) {
        return """
                pools:
                  users:
                    backends: ["%s"]
                    discovery: {dns: {name: users.internal, port: 1}}
                  other: {backends: ["%s"]}
                routes:
                  - {id: users, match: {path_prefix: /users}, pool: users, rate_limit: [four]}
                  - {id: other, match: {path_prefix: /other}, pool: other}
                rate_limit:
                  policies: [{id: four, key: client_ip, limit: 4, period: 1m}]
                """.formatted(a.url(), other.url());
    }
}
