package io.gatehouse.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.testing.NamedBackend;
import io.gatehouse.testing.TestDnsServer;
import io.gatehouse.testing.TestDnsServer.Srv;
import io.gatehouse.testing.TestGateway;
import io.gatehouse.upstream.Backend;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A gateway started the ordinary way (the standard discovery kinds) with a pool whose members come from a real DNS
 * server on a free port: members take traffic, a record change moves it without failing a request in flight.
 */
class DnsDiscoveryIntegrationTest {
    private static final Duration WITHIN = Duration.ofSeconds(15);

    private static String pool(String dns) {
        return """
                pools:
                  users:
                    discovery:
                      dns: %s
                routes:
                  - id: users
                    match: {path_prefix: /}
                    pool: users
                """.formatted(dns);
    }

    private static List<String> members(TestGateway gateway) {
        return gateway.server().snapshot().pools().get("users").backends().stream().map(Backend::address).toList();
    }

    private static List<String> bodies(TestGateway gateway, int count) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> response = gateway.get("/users/" + i);
            assertThat(response.statusCode()).as("%s", response.body()).isEqualTo(200);
            bodies.add(response.body());
        }
        return bodies;
    }

    @Test
    void readyzWaitsForTheFirstMembersADiscoveryReports() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start(); NamedBackend a = new NamedBackend("A")) {
            dns.a("users.internal", 1, "127.0.0.1").silence("users.internal");
            try (TestGateway gateway = TestGateway.start("server: {ready_timeout: 60s}\n"
                    + pool("{name: users.internal, port: " + a.port() + ", servers: [" + dns.address() + "]}"))) {
                HttpResponse<String> starting = gateway.get("/readyz");
                assertThat(starting.statusCode()).isEqualTo(503);
                assertThat(starting.body()).contains("discovery");

                dns.recover("users.internal");
                await().atMost(WITHIN).until(() -> gateway.get("/readyz").statusCode() == 200);
                assertThat(bodies(gateway, 2)).containsOnly("A");
            }
        }
    }

    @Test
    void srvMembersOnTwoPortsTakeTrafficAndARemovedOneFinishesItsRequestInFlight() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start(); NamedBackend a = new NamedBackend("A");
             NamedBackend b = new NamedBackend("B")) {
            dns.srv("_http._tcp.users", 1, new Srv(10, 1, a.port(), "a.users"), new Srv(10, 1, b.port(), "b.users"));
            dns.a("a.users", 1, "127.0.0.1").a("b.users", 1, "127.0.0.1");
            a.release(); // only B holds /held requests
            try (TestGateway gateway = TestGateway.start(pool("{name: _http._tcp.users, type: SRV, refresh: 1s,"
                    + " servers: [" + dns.address() + "]}"))) {
                await().atMost(WITHIN).until(() -> members(gateway).size() == 2);
                assertThat(bodies(gateway, 4)).containsExactlyInAnyOrder("A", "A", "B", "B");

                CompletableFuture<HttpResponse<String>> inFlight = requestHeldByB(gateway, b);
                dns.srv("_http._tcp.users", 1, new Srv(10, 1, a.port(), "a.users"));
                await().atMost(WITHIN).until(() -> members(gateway).equals(List.of("127.0.0.1:" + a.port())));
                assertThat(bodies(gateway, 4)).containsOnly("A");
                assertThat(inFlight).as("B's request still in flight").isNotDone();

                b.release();
                HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("B");
            }
        }
    }

    /** Sends {@code /held} on connections of its own until B holds one (round robin alternates, A answers). */
    private static CompletableFuture<HttpResponse<String>> requestHeldByB(TestGateway gateway, NamedBackend b) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int attempt = 0; attempt < 10; attempt++) {
            CompletableFuture<HttpResponse<String>> response =
                    client.sendAsync(gateway.request("/held"), HttpResponse.BodyHandlers.ofString());
            await().atMost(WITHIN).until(() -> response.isDone() || b.held() > 0);
            if (b.held() > 0) {
                return response;
            }
            assertThat(response.join().body()).isEqualTo("A");
        }
        throw new AssertionError("no request reached B");
    }

    @Test
    void aRecordsOnTwoLoopbackAddressesShareThePortAndAFailedLookupKeepsTheMembers() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start();
             NamedBackend two = new NamedBackend("two", new InetSocketAddress("127.0.0.2", 0));
             NamedBackend three = new NamedBackend("three", new InetSocketAddress("127.0.0.3", two.port()))) {
            dns.a("users.internal", 1, "127.0.0.2", "127.0.0.3");
            try (TestGateway gateway = TestGateway.start(pool("{name: users.internal, port: " + two.port()
                    + ", refresh: 1s, servers: [" + dns.address() + "]}"))) {
                await().atMost(WITHIN).until(() -> members(gateway).size() == 2);
                assertThat(bodies(gateway, 4)).containsExactlyInAnyOrder("two", "two", "three", "three");

                dns.a("users.internal", 1, "127.0.0.3");
                await().atMost(WITHIN).until(() -> members(gateway).size() == 1);
                assertThat(bodies(gateway, 3)).containsOnly("three");

                dns.servfail("users.internal");
                int asked = dns.queries("users.internal");
                await().atMost(WITHIN).until(() -> dns.queries("users.internal") >= asked + 2);
                assertThat(bodies(gateway, 3)).as("no answer keeps the members").containsOnly("three");
            }
        }
    }
}
