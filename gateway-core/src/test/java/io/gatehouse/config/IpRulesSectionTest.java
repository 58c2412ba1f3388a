package io.gatehouse.config;

import static io.gatehouse.config.Configs.DIRECT_ROUTE;
import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ip_rules:} (the route-level copy is in {@link RouteSecuritySectionTest}). */
class IpRulesSectionTest {
    private static IpRules rules(String section) {
        return parse("ip_rules:\n" + section.indent(2) + DIRECT_ROUTE).ipRules();
    }

    private static List<String> rulesErrors(String section) {
        return errors("ip_rules:\n" + section.indent(2) + DIRECT_ROUTE);
    }

    @Test
    void absentMeansNone() {
        assertThat(parse(DIRECT_ROUTE).ipRules()).isEqualTo(IpRules.NONE);
        assertThat(parse("ip_rules:\n" + DIRECT_ROUTE).ipRules().isEmpty()).isTrue();
        assertThat(rules("{}")).isEqualTo(IpRules.NONE);
    }

    @Test
    void allowAndDenyV4AndV6() throws Exception {
        IpRules rules = rules("allow: [10.0.0.0/8, \"::1/128\", \"fd00::/8\"]\ndeny: [10.6.6.0/24, 192.0.2.1]");

        assertThat(rules.allow()).map(Cidr::toString).containsExactly("10.0.0.0/8", "::1/128", "fd00::/8");
        assertThat(rules.deny()).map(Cidr::toString).containsExactly("10.6.6.0/24", "192.0.2.1");
        assertThat(rules.permits(InetAddress.getByName("10.1.2.3"))).isTrue();
        assertThat(rules.permits(InetAddress.getByName("10.6.6.7"))).isFalse();
        assertThat(rules.permits(InetAddress.getByName("::1"))).isTrue();
        assertThat(rules.permits(InetAddress.getByName("fd00::42"))).isTrue();
        assertThat(rules.permits(InetAddress.getByName("192.0.2.1"))).isFalse();
        assertThat(rules.permits(InetAddress.getByName("192.0.2.2"))).isFalse();
        assertThat(rules("deny: [\"2001:db8::/32\"]").permits(InetAddress.getByName("192.0.2.2"))).isTrue();
    }

    @Test
    void badCidrs() {
        assertThat(rulesErrors("allow: [10.0.0.0/33, localhost]\ndeny: [\"::1/129\", 10.0.0]")).containsExactly(
                "ip_rules.allow[0]: \"10.0.0.0/33\" (expected: prefix length 0..32)",
                "ip_rules.allow[1]: \"localhost\" (expected: an IP address or CIDR such as 10.0.0.0/8)",
                "ip_rules.deny[0]: \"::1/129\" (expected: prefix length 0..128)",
                "ip_rules.deny[1]: \"10.0.0\" (expected: an IP address or CIDR such as 10.0.0.0/8)");
        assertThat(rulesErrors("allow: 10.0.0.0/8")).containsExactly(
                "ip_rules.allow: \"10.0.0.0/8\" (expected a list of CIDRs such as [10.0.0.0/8, ::1/128])");
    }

    @Test
    void unknownKeysListTheKnownOnes() {
        assertThat(rulesErrors("allow: [10.0.0.0/8]\nblock: [10.6.6.0/24]")).containsExactly(
                "ip_rules.block: unknown key (expected one of: allow, deny)");
        assertThat(errors("ip_rules: [10.0.0.0/8]\n" + DIRECT_ROUTE)).containsExactly(
                "ip_rules: a list (expected a map with keys: allow, deny)");
    }

    @Test
    void nullCidrIsAnError() {
        assertThat(rulesErrors("allow: [null]")).singleElement().asString()
                .startsWith("ip_rules.allow[0]: null (expected");
    }
}
