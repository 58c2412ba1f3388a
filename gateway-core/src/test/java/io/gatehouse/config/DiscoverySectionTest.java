package io.gatehouse.config;

import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoverySectionTest {
    private static final String ROUTE = """
            routes:
              - id: r
                match: {path_prefix: /}
                pool: users
            """;

    private static PoolConfig users(String body) {
        return parse("pools:\n  users:\n" + body.indent(4) + ROUTE).pools().get("users");
    }

    private static List<String> usersErrors(String body) {
        return errors("pools:\n  users:\n" + body.indent(4) + ROUTE);
    }

    @Test
    void etcdPrefixWithOrWithoutEndpoints() {
        assertThat(users("discovery: {etcd: {prefix: /gatehouse/pools/users/}}").discovery())
                .isEqualTo(new DiscoveryConfig.Etcd(List.of(), "/gatehouse/pools/users/"));
        PoolConfig pool = users("""
                backends: [http://10.0.0.1:9001]
                discovery:
                  etcd: {endpoints: [http://127.0.0.2, "http://127.0.0.1:2379/"], prefix: /p/}
                """);
        assertThat(pool.discovery()).isEqualTo(new DiscoveryConfig.Etcd(
                List.of("http://127.0.0.1:2379", "http://127.0.0.2:2379"), "/p/"));
        assertThat(pool.backends()).hasSize(1);
    }

    @Test
    void dnsDefaultsToARecordsEveryFiveSeconds() {
        assertThat(users("discovery: {dns: {name: users.internal, port: 9001}}").discovery())
                .isEqualTo(new DiscoveryConfig.Dns("users.internal", 9001, DiscoveryConfig.RecordType.A,
                        Duration.ofSeconds(5)));
        assertThat(users("discovery: {dns: {name: _http._tcp.users, type: srv, refresh: 30s}}").discovery())
                .isEqualTo(new DiscoveryConfig.Dns("_http._tcp.users", 0, DiscoveryConfig.RecordType.SRV,
                        Duration.ofSeconds(30)));
    }

    @Test
    void dnsServersAreIpLiteralsWithPort53ByDefault() {
        DiscoveryConfig dns = users("discovery: {dns: {name: u, port: 1, servers: [127.0.0.1:5353, 10.0.0.2,"
                + " '[::1]:53']}}").discovery();
        assertThat(((DiscoveryConfig.Dns) dns).servers()).containsExactly(new InetSocketAddress("127.0.0.1", 5353),
                new InetSocketAddress("10.0.0.2", 53), new InetSocketAddress("::1", 53));
        assertThat(((DiscoveryConfig.Dns) users("discovery: {dns: {name: u, port: 1}}").discovery()).servers())
                .as("absent: the system's resolv.conf").isEmpty();
    }

    @Test
    void badDnsServersNameTheirElement() {
        String expected = "(expected an IP address with an optional port, such as 127.0.0.1:53 or [::1]:53)";
        assertThat(usersErrors("discovery: {dns: {name: u, port: 1, servers: [ns.internal:53, 127.0.0.1:0,"
                + " '[::1', 10.1, null]}}")).containsExactly(
                "pools.users.discovery.dns.servers[0]: \"ns.internal:53\" " + expected,
                "pools.users.discovery.dns.servers[1]: \"127.0.0.1:0\" " + expected,
                "pools.users.discovery.dns.servers[2]: \"[::1\" " + expected,
                "pools.users.discovery.dns.servers[3]: 10.1 " + expected,
                "pools.users.discovery.dns.servers[4]: null " + expected);
        assertThat(usersErrors("discovery: {dns: {name: u, port: 1, servers: []}}")).containsExactly(
                "pools.users.discovery.dns.servers: empty list (expected at least one DNS server, or no servers key"
                        + " for the system's)");
        assertThat(usersErrors("discovery: {dns: {name: u, port: 1, servers: 127.0.0.1}}")).containsExactly(
                "pools.users.discovery.dns.servers: \"127.0.0.1\" (expected a list of DNS servers such as"
                        + " [127.0.0.1:53])");
    }

    @Test
    void backendsAreOptionalOnlyWithDiscovery() {
        assertThat(usersErrors("strategy: random")).containsExactly("pools.users.backends: missing (expected a"
                + " non-empty list of backends, each a URL or a map with keys: url, weight (or discovery))");
        assertThat(users("backends: []\ndiscovery: {dns: {name: u, port: 1}}").backends()).isEmpty();
    }

    @Test
    void problemsNameTheirPath() {
        assertThat(usersErrors("discovery: {etcd: {prefix: /a/}, dns: {name: u, port: 1}}"))
                .containsExactly("pools.users.discovery: expected exactly one of: etcd, dns");
        assertThat(usersErrors("discovery: {etcd: {prefix: a/}}")).containsExactly(
                "pools.users.discovery.etcd.prefix: \"a/\" (expected a key prefix starting with /, such as"
                        + " /gatehouse/pools/users/)");
        assertThat(usersErrors("discovery: {dns: {name: u}}")).containsExactly(
                "pools.users.discovery.dns.port: missing (expected the members' port, 1..65535 (required for type A"
                        + " and AAAA))");
        assertThat(usersErrors("discovery: {dns: {name: u, type: MX, port: 1}}")).containsExactly(
                "pools.users.discovery.dns.type: \"MX\" (expected one of: A, AAAA, SRV)");
        assertThat(usersErrors("discovery: {dns: {name: u, type: SRV, port: 1}}")).containsExactly(
                "pools.users.discovery.dns.port: not used with type SRV (the SRV records give each member's port)");
        assertThat(usersErrors("discovery: {etcd: {prefix: /a/, endpoints: [http://e:2379, https://e:2379, e:2379]}}"))
                .containsExactly("pools.users.discovery.etcd.endpoints[1]: \"https://e:2379\" (expected an http:// URL: "
                                + "TLS to etcd is not supported yet)",
                        "pools.users.discovery.etcd.endpoints[2]: \"e:2379\" (expected an http:// URL such as "
                                + "http://127.0.0.1:2379)");
        assertThat(usersErrors("discovery: {etcd: {prefix: /a/, endpoints: http://e:2379}}")).containsExactly(
                "pools.users.discovery.etcd.endpoints: \"http://e:2379\" (expected a list of etcd URLs such as "
                        + "http://127.0.0.1:2379)");
        assertThat(usersErrors("discovery: {consul: {}}"))
                .contains("pools.users.discovery.consul: unknown key (expected one of: etcd, dns)");
    }
}
