package io.gatehouse.config;

import static io.gatehouse.config.Configs.DIRECT_ROUTE;
import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code auth.mtls}. */
class MtlsSectionTest {
    private static final String IDENTITIES = "expected one of: subject, subject_cn, san_dns, san_uri, san_email";
    private static final String FIELDS = "expected one of: subject, subject_cn, san_dns, san_uri, san_email, issuer,"
            + " serial, fingerprint_sha256";

    private static final String TLS = """
            server:
              tls:
                port: 8443
                certificates: [{cert: /etc/gatehouse/api.pem, key: /etc/gatehouse/api.key}]
                client_auth: {mode: required, ca: /etc/gatehouse/clients-ca.pem}
            """;

    private static MtlsConfig mtls(String section) {
        return parse(TLS + "auth:\n  default: [mtls]\n  mtls:\n" + section.indent(4) + DIRECT_ROUTE).auth().mtls();
    }

    private static List<String> mtlsErrors(String section) {
        return errors(TLS + "auth:\n  default: [mtls]\n  mtls:\n" + section.indent(4) + DIRECT_ROUTE);
    }

    @Test
    void bindsConsumersTheirRolesAndTheForwardedFieldsInOrder() {
        MtlsConfig mtls = mtls("""
                consumer_from: san_uri
                consumers:
                  - {id: "spiffe://example.org/billing", roles: [payer]}
                  - {id: "spiffe://example.org/reports"}
                forward_headers:
                  X-Client-Cert-Subject: subject
                  X-Client-Cert-Sha256: fingerprint_sha256
                """);

        assertThat(mtls.consumerFrom()).isEqualTo(CertificateField.SAN_URI);
        assertThat(mtls.consumers()).containsExactly(
                new MtlsConfig.Consumer("spiffe://example.org/billing", List.of("payer")),
                new MtlsConfig.Consumer("spiffe://example.org/reports", List.of()));
        assertThat(mtls.forwardHeaders()).containsExactly(Map.entry("X-Client-Cert-Subject", CertificateField.SUBJECT),
                Map.entry("X-Client-Cert-Sha256", CertificateField.FINGERPRINT_SHA256));
    }

    @Test
    void theSubjectCommonNameNamesTheConsumerByDefaultAndNothingIsForwarded() {
        MtlsConfig mtls = mtls("consumers: [{id: billing}]");

        assertThat(mtls.consumerFrom()).isEqualTo(CertificateField.SUBJECT_CN);
        assertThat(mtls.forwardHeaders()).isEmpty();
    }

    @Test
    void everyMistakeIsNamed() {
        assertThat(mtlsErrors("consumer_from: issuer\nconsumers: [{id: a}]"))
                .containsExactly("auth.mtls.consumer_from: \"issuer\" (" + IDENTITIES + ")");
        assertThat(mtlsErrors("consumer_from: subject_cn")).containsExactly("auth.mtls.consumers: missing or empty"
                + " (expected at least one consumer: the gateway admits only listed certificate identities)");
        assertThat(mtlsErrors("consumers: [{id: a}, {id: a}]"))
                .containsExactly("auth.mtls.consumers[1].id: \"a\" (expected a unique consumer id)");
        assertThat(mtlsErrors("consumers: [{id: a, role: [x]}]")).singleElement().asString()
                .startsWith("auth.mtls.consumers[0].role: unknown key");
        assertThat(mtlsErrors("consumers: [{id: a}]\nforward_headers: {X-Cert: subjct}"))
                .containsExactly("auth.mtls.forward_headers.X-Cert: \"subjct\" (" + FIELDS + ")");
        assertThat(mtlsErrors("consumers: [{id: a}]\nforward_headers: {\"X Cert\": subject}")).containsExactly(
                "auth.mtls.forward_headers.X Cert: invalid header name (expected a header name such as"
                        + " X-Client-Cert-Subject)");
    }

    @Test
    void clientCertificatesMustBeAskedForByTheTlsListener() {
        String mtls = "auth:\n  default: [mtls]\n  mtls: {consumers: [{id: a}]}\n" + DIRECT_ROUTE;
        String expected = "auth.mtls: needs client certificates: set server.tls.client_auth.mode to optional or required";

        assertThat(errors(mtls)).containsExactly(expected);
        assertThat(errors(TLS.replace("{mode: required, ca: /etc/gatehouse/clients-ca.pem}", "{mode: none}") + mtls))
                .containsExactly(expected);
    }

    @Test
    void aRouteCanRequireMtlsOnlyWhenItIsConfigured() {
        assertThat(errors("auth:\n  default: [mtls]\n" + DIRECT_ROUTE)).containsExactly(
                "auth.default[0]: \"mtls\" (expected a configured method: add auth.mtls)");
    }
}
