package io.gatehouse.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.CertificateField;
import io.gatehouse.config.IpRules;
import io.gatehouse.config.MtlsConfig;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.testing.PrometheusText;
import io.gatehouse.testing.TestPki;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code auth: [mtls]}: the verified client certificate names a listed consumer, whose roles and fields go on. */
class MtlsStepTest {
    private static final TestPki.Authority CA = TestPki.authority("Clients CA");

    private final GatewayMetrics metrics = new GatewayMetrics();
    private final SecurityRejections rejections = new SecurityRejections(metrics, "X-API-Key");
    private final AdmissionProgress progress = new AdmissionProgress();

    private RoutePolicy policy(CertificateField consumerFrom, Map<String, CertificateField> forward, String... roles) {
        MtlsConfig config = new MtlsConfig(consumerFrom, List.of(new MtlsConfig.Consumer("billing", List.of("payer")),
                new MtlsConfig.Consumer("spiffe://example.org/reports", List.of())), forward);
        List<AdmissionStep> steps = new java.util.ArrayList<>();
        steps.add(new MtlsStep(new MtlsAuthenticator(config, metrics), rejections));
        if (roles.length > 0) {
            steps.add(new RolesStep(List.of(roles), false, rejections));
        }
        return new RoutePolicy(null, new IpRulesStep(IpRules.NONE, IpRules.NONE, rejections), steps, null, rejections);
    }

    private Admission admit(RoutePolicy policy, TestPki.Issued certificate) {
        progress.reset();
        progress.clientCertificate(certificate == null ? null : ClientCertificate.of(certificate.certificate()));
        return policy.admit(new DefaultHttpHeaders(), InetAddress.getLoopbackAddress(), null, progress);
    }

    @Test
    void aListedSubjectCommonNameIsTheConsumerAndItsChosenFieldsGoUpstream() {
        TestPki.Issued billing = CA.client("billing", "billing.internal");
        Map<String, CertificateField> forward = new LinkedHashMap<>();
        forward.put("X-Client-Cert-Subject", CertificateField.SUBJECT);
        forward.put("X-Client-Cert-DNS", CertificateField.SAN_DNS);

        Admission admission = admit(policy(CertificateField.SUBJECT_CN, forward), billing);

        assertThat(admission).isInstanceOf(Admission.Admitted.class);
        Principal principal = ((Admission.Admitted) admission).principal();
        assertThat(principal.consumerId()).isEqualTo("billing");
        assertThat(principal.upstreamHeaders()).containsExactly(Map.entry("X-Consumer-Id", "billing"),
                Map.entry("X-Client-Cert-Subject", "CN=billing"),
                Map.entry("X-Client-Cert-DNS", "billing, billing.internal"));
        assertThat(PrometheusText.value(metrics.scrape(), "gatehouse_consumer_requests_total", "consumer", "billing"))
                .isEqualTo(1);
    }

    @Test
    void withoutACertificateTheRequestIsUnauthorizedAndAnUnlistedOneIsForbidden() {
        RoutePolicy policy = policy(CertificateField.SUBJECT_CN, Map.of());

        assertThat(refusal(admit(policy, null))).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
        assertThat(refusal(admit(policy, CA.client("mallory")))).isEqualTo(HttpResponseStatus.FORBIDDEN);
        assertThat(PrometheusText.value(metrics.scrape(), "gatehouse_auth_rejections_total", "reason",
                "unknown_client_certificate")).isEqualTo(1);
    }

    @Test
    void theConsumersRolesAreWhatTheRolesStepChecks() {
        assertThat(admit(policy(CertificateField.SUBJECT_CN, Map.of(), "payer"), CA.client("billing")))
                .isInstanceOf(Admission.Admitted.class);
        assertThat(refusal(admit(policy(CertificateField.SUBJECT_CN, Map.of(), "admin"), CA.client("billing"))))
                .isEqualTo(HttpResponseStatus.FORBIDDEN);
    }

    @Test
    void anyDnsNameOfTheCertificateCanNameTheConsumer() {
        Admission admission = admit(policy(CertificateField.SAN_DNS, Map.of()),
                CA.client("host-17", "host-17.internal", "billing"));

        assertThat(((Admission.Admitted) admission).principal().consumerId()).isEqualTo("billing");
    }

    @Test
    void fieldValuesCannotSplitAHeader() {
        assertThat(ClientCertificate.headerSafe("CN=a\r\nX-Evil: 1")).isEqualTo("CN=a%0D%0AX-Evil: 1");
        assertThat(ClientCertificate.headerSafe("O=Zürich 100%")).isEqualTo("O=Z%C3%BCrich 100%25");
        assertThat(ClientCertificate.headerSafe("CN=plain")).isEqualTo("CN=plain");
    }

    private static HttpResponseStatus refusal(Admission admission) {
        assertThat(admission).isInstanceOf(Admission.Refused.class);
        return ((Admission.Refused) admission).rejection().status();
    }
}
