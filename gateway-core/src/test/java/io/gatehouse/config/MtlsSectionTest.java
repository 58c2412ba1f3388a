package io.gatehouse.config;

import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MtlsSectionTest {
    private static final String TLS = """
            server:
              tls:
                port: 8443
                certificates: [{cert: /c/s.pem, key: /c/s.key}]
                client_auth: {mode: required, ca: /c/clients.pem}
            """;
    private static final String ROUTE = """
            routes:
              - id: r
                match: {path_prefix: /}
                upstream: http://127.0.0.1:9001
                auth: [mtls]
            """;

    private static String config(String mtls) {
        return TLS + "auth:\n  default: []\n  mtls:\n" + mtls.indent(4) + ROUTE;
    }

    @Test
    void consumersBySubjectOrCnWithHeaders() {
        MtlsConfig mtls = parse(config("""
                consumers:
                  - {subject: "CN=billing, O=Example", id: billing, roles: [payments]}
                  - {cn: reports}
                """)).auth().mtls();

        assertThat(mtls.consumers()).containsExactly(
                new MtlsConfig.Consumer("CN=billing, O=Example", null, "billing", List.of("payments")),
                new MtlsConfig.Consumer(null, "reports", "reports", List.of()));
        assertThat(mtls.subjectHeader()).isEqualTo("X-Client-Cert-Subject");
        assertThat(mtls.sansHeader()).isEqualTo("X-Client-Cert-SANs");
        assertThat(parse(config("consumers: []\nheaders: {subject: X-Subject, sans: false}")).auth().mtls())
                .extracting(MtlsConfig::subjectHeader, MtlsConfig::sansHeader).containsExactly("X-Subject", null);
    }

    @Test
    void clearErrors() {
        assertThat(errors(config("consumers: [{subject: \"CN=a\", cn: a}]"))).containsExactly(
                "auth.mtls.consumers[0]: a map (expected either subject or cn, to match the client certificate by)");
        assertThat(errors(config("consumers: [{subject: \"not a dn\"}]"))).contains(
                "auth.mtls.consumers[0].subject: \"not a dn\" (expected a distinguished name such as"
                        + " \"CN=billing,O=Example\")");
        assertThat(errors(config("consumers: [{cn: a}, {cn: b, id: a}]"))).containsExactly(
                "auth.mtls.consumers[1].id: \"a\" (expected a unique consumer id)");
        assertThat(errors(config("consumers: [{cn: a}]\nheaders: {subject: \"X Bad\"}"))).containsExactly(
                "auth.mtls.headers.subject: \"X Bad\" (expected a header name, or false to send none)");
        assertThat(errors(config("consumers: [{cn: a, key: b}]"))).containsExactly(
                "auth.mtls.consumers[0].key: unknown key (expected one of: subject, cn, id, roles)");
    }

    @Test
    void needsClientCertificatesOnTheTlsListener() {
        assertThat(errors("auth:\n  default: []\n  mtls: {consumers: [{cn: a}]}\n" + ROUTE)).containsExactly(
                "auth.mtls: needs client certificates: set server.tls.client_auth (mode: optional or required,"
                        + " and its ca)");
    }

    @Test
    void mtlsAndApiKeysCannotBothNameTheConsumer() {
        String yaml = TLS + """
                auth:
                  default: []
                  api_keys: {keys: [{id: a, key: 0123456789abcdef0123}]}
                  mtls: {consumers: [{cn: a}]}
                routes:
                  - id: r
                    match: {path_prefix: /}
                    upstream: http://127.0.0.1:9001
                    auth: [api_key, mtls]
                """;
        assertThat(errors(yaml)).containsExactly("routes[0].auth[1]: \"mtls\" (expected api_key or mtls, not both:"
                + " each names the consumer)");
    }
}
