package io.gatehouse.config;

import static io.gatehouse.config.Configs.DIRECT_ROUTE;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A reload is a no-op when the new document means what the running one does: that is decided with
 * {@link GatewayConfig#equals}, so every part of the config must compare by meaning, not by identity.
 */
class ConfigMeaningTest {
    private static final String SECURED = """
            server:
              trusted_proxies: [10.0.0.0/8, "::1"]
            auth:
              default: [api_key, jwt]
              api_keys: {keys: [{id: team, key: team-key-0123456789, roles: [admin]}]}
              jwt: {secret: 0123456789abcdef0123456789abcdef}
            ip_rules: {allow: [192.168.0.0/16], deny: [192.168.7.0/24]}
            cors: {allowed_origins: ["https://*.example.com"]}
            rate_limit:
              policies: [{id: per-ip, key: client_ip, limit: 10, period: 1s}]
              default: [per-ip]
            routes:
              - id: r
                match: {path_regex: "^/items/[0-9]+$", headers: {X-Trace: "~^[0-9a-f]+$"}}
                upstream: http://127.0.0.1:9001
                ip_rules: {deny: [10.1.0.0/16]}
            """;

    @Test
    void theSameDocumentParsedTwiceIsEqual() throws IOException, URISyntaxException {
        String full = Files.readString(Path.of(ConfigMeaningTest.class.getResource("/config/full.yml").toURI()));

        assertThat(parse(full)).isEqualTo(parse(full));
        assertThat(parse(SECURED)).isEqualTo(parse(SECURED)).hasSameHashCodeAs(parse(SECURED));
    }

    @Test
    void cidrsAreEqualByTheBlockTheyDenote() {
        assertThat(Cidr.parse("10.1.2.3/8")).isEqualTo(Cidr.parse("10.0.0.0/8"))
                .hasSameHashCodeAs(Cidr.parse("10.0.0.0/8"));
        assertThat(Cidr.parse("::1")).isEqualTo(Cidr.parse("0:0:0:0:0:0:0:1/128"));
        assertThat(Cidr.parse("10.0.0.0/8")).isNotEqualTo(Cidr.parse("10.0.0.0/16"));
        assertThat(Cidr.parse("10.0.0.0/8")).isNotEqualTo(Cidr.parse("11.0.0.0/8"));
    }

    @Test
    void jwtSecretsCompareByTheirBytes() {
        String other = SECURED.replace("0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210");

        assertThat(parse(SECURED).auth().jwt()).isEqualTo(parse(SECURED).auth().jwt());
        assertThat(parse(other).auth().jwt()).isNotEqualTo(parse(SECURED).auth().jwt());
    }

    @Test
    void aChangedIpRuleRegexOrKeyIsADifference() {
        assertThat(parse(SECURED.replace("192.168.7.0/24", "192.168.8.0/24"))).isNotEqualTo(parse(SECURED));
        assertThat(parse(SECURED.replace("[0-9]+$\"", "[0-9]*$\""))).isNotEqualTo(parse(SECURED));
        assertThat(parse(SECURED.replace("team-key-0123456789", "team-key-9876543210"))).isNotEqualTo(parse(SECURED));
    }

    @Test
    void formattingAndCommentsAreNoDifference() {
        String reformatted = "# the same routes\nroutes:\n  - upstream: 'http://127.0.0.1:9001'\n"
                + "    id: r\n    match:\n      path_prefix: \"/\"\n";

        assertThat(parse(reformatted)).isEqualTo(parse(DIRECT_ROUTE));
    }
}
