package io.gatehouse.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.config.BackendConfig;
import io.gatehouse.config.DiscoveryConfig;
import io.gatehouse.config.DiscoveryConfig.RecordType;
import io.gatehouse.testing.TestDnsServer;
import io.gatehouse.testing.TestDnsServer.Srv;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DnsDiscovery against a real DNS server on a free port: what records become members, and when it asks again. */
class DnsDiscoveryTest {
    private static final Duration LONG_REFRESH = Duration.ofMinutes(1);
    private static EventLoopGroup group;
    private TestDnsServer dns;
    private final List<List<BackendConfig>> reports = new CopyOnWriteArrayList<>();
    private DnsDiscovery discovery;

    @BeforeAll
    static void startLoop() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void startDns() {
        dns = TestDnsServer.start();
    }

    @AfterEach
    void stop() {
        if (discovery != null) {
            discovery.close();
        }
        dns.close();
    }

    private void discover(String name, int port, RecordType type, Duration refresh, InetSocketAddress... servers) {
        DiscoveryConfig.Dns config = new DiscoveryConfig.Dns(name, port, type, refresh,
                servers.length == 0 ? List.of(dns.socketAddress()) : List.of(servers));
        discovery = new DnsDiscovery(config, group.next(), NioDatagramChannel.class, NioSocketChannel.class);
        discovery.start(reports::add);
    }

    private static BackendConfig member(String url, String host, int port, int weight) {
        return new BackendConfig(url, host, port, weight);
    }

    private List<BackendConfig> awaitReport(int index) {
        await().atMost(Duration.ofSeconds(10)).until(() -> reports.size() > index);
        return reports.get(index);
    }

    private void awaitMoreQueries(String name, int more) {
        int seen = dns.queries(name);
        await().atMost(Duration.ofSeconds(15)).until(() -> dns.queries(name) >= seen + more);
    }

    @Test
    void aRecordsAreMembersAtTheConfiguredPortInAStableOrder() {
        dns.a("users.internal", 30, "127.0.0.3", "127.0.0.2");
        discover("users.internal", 9001, RecordType.A, LONG_REFRESH);
        assertThat(awaitReport(0)).containsExactly(
                member("http://127.0.0.2:9001", "127.0.0.2", 9001, 1),
                member("http://127.0.0.3:9001", "127.0.0.3", 9001, 1));
    }

    @Test
    void aaaaRecordsAreBracketedInUrls() {
        dns.aaaa("users.internal", 30, "::1", "2001:db8:0:0:0:0:0:5");
        discover("users.internal", 9001, RecordType.AAAA, LONG_REFRESH);
        assertThat(awaitReport(0)).containsExactly(
                member("http://[2001:db8::5]:9001", "2001:db8::5", 9001, 1),
                member("http://[::1]:9001", "::1", 9001, 1));
    }

    @Test
    void srvRecordsGiveEachMemberItsPortAndAWeightClampedTo1Through1000() {
        dns.srv("_http._tcp.users", 30,
                new Srv(10, 0, 8001, "a.users"),
                new Srv(10, 5000, 8002, "b.users"),
                new Srv(10, 7, 8003, "c.users"),
                new Srv(20, 1, 8004, "backup.users"));
        dns.a("a.users", 30, "127.0.0.2", "127.0.0.3");
        dns.aaaa("b.users", 30, "::1"); // no A records: its IPv6 address is used
        dns.a("c.users", 30, "127.0.0.4").aaaa("c.users", 30, "::2");
        dns.a("backup.users", 30, "127.0.0.9");
        discover("_http._tcp.users", 0, RecordType.SRV, LONG_REFRESH);
        assertThat(awaitReport(0)).containsExactly(
                member("http://127.0.0.2:8001", "127.0.0.2", 8001, 1),
                member("http://127.0.0.3:8001", "127.0.0.3", 8001, 1),
                member("http://127.0.0.4:8003", "127.0.0.4", 8003, 7),
                member("http://[::1]:8002", "::1", 8002, 1000));
    }

    @Test
    void srvBackupsServeWhenNoPrimaryTargetHasAnAddress() {
        dns.srv("_http._tcp.users", 30,
                new Srv(10, 1, 8001, "gone.users"),
                new Srv(10, 1, 8002, "."),
                new Srv(20, 3, 8004, "backup.users"));
        dns.nxdomain("gone.users").a("backup.users", 30, "127.0.0.9");
        discover("_http._tcp.users", 0, RecordType.SRV, LONG_REFRESH);
        assertThat(awaitReport(0)).containsExactly(member("http://127.0.0.9:8004", "127.0.0.9", 8004, 3));
    }

    @Test
    void aShortTtlRefreshesBeforeRefreshAndOnlyChangesAreReported() {
        dns.a("users.internal", 1, "127.0.0.2");
        discover("users.internal", 9001, RecordType.A, LONG_REFRESH);
        awaitReport(0);
        awaitMoreQueries("users.internal", 2);
        assertThat(reports).as("the same answer again is not reported").hasSize(1);

        dns.a("users.internal", 1, "127.0.0.2", "127.0.0.3");
        assertThat(awaitReport(1)).extracting(BackendConfig::address).containsExactly("127.0.0.2:9001", "127.0.0.3:9001");
        dns.a("users.internal", 1, "127.0.0.3");
        assertThat(awaitReport(2)).extracting(BackendConfig::address).containsExactly("127.0.0.3:9001");
    }

    @Test
    void refreshBoundsALongTtl() {
        dns.a("users.internal", 3600, "127.0.0.2");
        discover("users.internal", 9001, RecordType.A, Duration.ofSeconds(1));
        awaitReport(0);
        dns.a("users.internal", 3600, "127.0.0.3");
        assertThat(awaitReport(1)).extracting(BackendConfig::address).containsExactly("127.0.0.3:9001");
    }

    @Test
    void failedLookupsKeepTheLastMembersUntilAnAnswerComesAgain() {
        dns.a("users.internal", 1, "127.0.0.2");
        discover("users.internal", 9001, RecordType.A, Duration.ofSeconds(1));
        awaitReport(0);

        dns.servfail("users.internal");
        awaitMoreQueries("users.internal", 2);
        dns.silence("users.internal"); // the server times out
        awaitMoreQueries("users.internal", 2);
        assertThat(reports).as("no answer is not an empty answer").hasSize(1);

        dns.a("users.internal", 1, "127.0.0.3").recover("users.internal");
        assertThat(awaitReport(1)).extracting(BackendConfig::address).containsExactly("127.0.0.3:9001");
    }

    @Test
    void failedSrvTargetLookupsKeepTheLastMembersToo() {
        dns.srv("_http._tcp.users", 1, new Srv(10, 1, 8001, "a.users"), new Srv(10, 1, 8002, "b.users"));
        dns.a("a.users", 1, "127.0.0.2").a("b.users", 1, "127.0.0.3");
        discover("_http._tcp.users", 0, RecordType.SRV, Duration.ofSeconds(1));
        assertThat(awaitReport(0)).hasSize(2);

        dns.servfail("b.users");
        awaitMoreQueries("b.users", 2);
        assertThat(reports).as("one target without an answer fails the whole lookup").hasSize(1);
    }

    @Test
    void nxdomainAndAnEmptyAnswerMeanNoMembers() {
        dns.a("users.internal", 1, "127.0.0.2");
        discover("users.internal", 9001, RecordType.A, Duration.ofSeconds(1));
        awaitReport(0);

        dns.nxdomain("users.internal");
        assertThat(awaitReport(1)).isEmpty();
        dns.a("users.internal", 1, "127.0.0.3");
        assertThat(awaitReport(2)).extracting(BackendConfig::address).containsExactly("127.0.0.3:9001");
        dns.a("users.internal", 1); // NOERROR without records (NODATA)
        assertThat(awaitReport(3)).isEmpty();
    }

    @Test
    void theNextServerIsAskedWhenOneFailsOrIsSilent() {
        try (TestDnsServer failing = TestDnsServer.start(); TestDnsServer silent = TestDnsServer.start()) {
            failing.a("users.internal", 30, "127.0.0.9").servfail("users.internal");
            silent.a("users.internal", 30, "127.0.0.9").silence("users.internal");
            dns.a("users.internal", 30, "127.0.0.2");
            discover("users.internal", 9001, RecordType.A, Duration.ofSeconds(1), failing.socketAddress(),
                    silent.socketAddress(), dns.socketAddress());
            assertThat(awaitReport(0)).extracting(BackendConfig::address).containsExactly("127.0.0.2:9001");
            assertThat(failing.queries("users.internal")).isPositive();
            assertThat(silent.queries("users.internal")).isPositive();
        }
    }

    @Test
    void closeStopsTheLookups() {
        dns.a("users.internal", 1, "127.0.0.2");
        discover("users.internal", 9001, RecordType.A, Duration.ofSeconds(1));
        awaitReport(0);
        discovery.close();
        int asked = dns.queries("users.internal");
        await().during(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(4))
                .until(() -> dns.queries("users.internal") <= asked + 1); // one may have been under way
    }
}
