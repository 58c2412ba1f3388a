package io.gatehouse.upstream.tls;

import ch.qos.logback.classic.Level;
import io.gatehouse.testing.CapturedLogs;
import io.gatehouse.testing.TestGateway;
import io.gatehouse.testing.TestPki;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real gateway in front of real HTTPS backends (MockWebServer on the JDK's TLS) with TestPki certificates: what a
 * client sees for each verification outcome, what the backend saw (SNI, client certificate, connections), and what
 * the operator gets in the log and the metrics.
 */
class UpstreamTlsIntegrationTest {
    private static final String TLS_FAILED = "{\"error\":\"upstream_tls_failed\","
            + "\"message\":\"the backend's TLS handshake failed\",";

    @TempDir
    static Path dir;
    private static TestPki.Authority ca;
    private static Path caFile;
    private static Path otherCaFile;
    private static TestPki.Files clientFiles;

    @BeforeAll
    static void pki() {
        ca = TestPki.authority("Backend CA");
        caFile = ca.writeTo(dir.resolve("ca.pem"));
        otherCaFile = TestPki.authority("Someone else's CA").writeTo(dir.resolve("other-ca.pem"));
        clientFiles = ca.client("gatehouse-gateway").writeTo(dir, "client");
    }

    /** One pool {@code api} behind the route {@code /}: {@code backends} and a {@code tls} map (may be empty). */
    private static String config(String backends, String tls) {
        return config(backends, tls, "");
    }

    /** @param poolSetting one more line of the pool's settings, e.g. its health check */
    private static String config(String backends, String tls, String poolSetting) {
        StringBuilder pool = new StringBuilder("backends: [" + backends + "]\n");
        if (!tls.isEmpty()) {
            pool.append("tls: ").append(tls).append('\n');
        }
        pool.append(poolSetting);
        return "pools:\n  api:\n" + pool.toString().indent(4) + """
                routes:
                  - id: r
                    match: {path_prefix: /}
                    pool: api
                """;
    }

    private static String localhost(HttpsBackend backend) {
        return "https://localhost:" + backend.port();
    }

    @Test
    void theRightCaGives200AndOneTlsConnectionServesSequentialRequests() throws Exception {
        try (HttpsBackend backend = new HttpsBackend(ca.server("localhost"), null, "hello over tls");
             TestGateway gateway = TestGateway.start(config(localhost(backend), "{ca: " + caFile + "}"), 1)) {
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> response = gateway.get("/items/" + i);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("hello over tls");
            }
            List<RecordedRequest> received = backend.received();
            assertThat(received).hasSize(5);
            assertThat(received).extracting(RecordedRequest::getConnectionIndex).as("one TLS connection")
                    .containsOnly(0);
            assertThat(received).extracting(RecordedRequest::getExchangeIndex).containsExactly(0, 1, 2, 3, 4);
            assertThat(received.get(0).getHandshake().tlsVersion().javaName()).isEqualTo("TLSv1.3");
            // No SNI here: a name without a dot is never sent (see the server_name test for SNI).
            // The Host header stays as configured (the default port of https is left out).
            assertThat(received.get(0).getHeaders().get("Host")).isEqualTo("localhost:" + backend.port());
        }
    }

    @Test
    void anUnknownCaGives502WithAStableCodeTheLogSaysWhyAndItIsCounted() throws Exception {
        try (HttpsBackend backend = new HttpsBackend(ca.server("localhost"), null, "never");
             TestGateway gateway = TestGateway.start(config(localhost(backend), "{ca: " + otherCaFile + "}"));
             CapturedLogs logs = CapturedLogs.all()) {
            HttpResponse<String> response = gateway.get("/x");
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).startsWith(TLS_FAILED).doesNotContain(String.valueOf(backend.port()));
            String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(logs.messages(Level.WARN)).anySatisfy(line -> assertThat(line)
                    .contains("TLS connection failed to backend localhost:" + backend.port())
                    .contains("unknown_ca").contains(requestId));
            assertThat(tlsFailures(gateway, "unknown_ca")).isPositive();
            assertThat(backend.received()).isEmpty();
            String backendLabel = "backend=\"localhost:" + backend.port() + "\"";
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                    gateway.metric("gatehouse_pool_connections", backendLabel, "state=\"active\"")
                            + gateway.metric("gatehouse_pool_connections", backendLabel, "state=\"idle\""))
                    .as("failed handshakes leave no connection counted").isZero());
        }
    }

    @Test
    void theSystemTrustStoreIsTheDefault() throws Exception {
        try (HttpsBackend backend = new HttpsBackend(ca.server("localhost"), null, "never");
             TestGateway gateway = TestGateway.start(config(localhost(backend), ""))) {
            HttpResponse<String> response = gateway.get("/x");
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).startsWith(TLS_FAILED);
            assertThat(tlsFailures(gateway, "unknown_ca")).isPositive();
        }
    }

    @Test
    void aCertificateForAnotherNameGives502UnlessServerNameSaysThatName() throws Exception {
        try (HttpsBackend backend = new HttpsBackend(ca.server("api.internal.example"), null, "named");
             CapturedLogs logs = CapturedLogs.all()) {
            try (TestGateway gateway = TestGateway.start(config(localhost(backend), "{ca: " + caFile + "}"))) {
                HttpResponse<String> response = gateway.get("/x");
                assertThat(response.statusCode()).isEqualTo(502);
                assertThat(response.body()).startsWith(TLS_FAILED);
                assertThat(logs.messages(Level.WARN)).anySatisfy(line -> assertThat(line)
                        .contains("hostname_mismatch").contains("localhost"));
                assertThat(tlsFailures(gateway, "hostname_mismatch")).isPositive();
            }
            try (TestGateway gateway = TestGateway.start(config(localhost(backend),
                    "{ca: " + caFile + ", server_name: api.internal.example}"))) {
                HttpResponse<String> response = gateway.get("/x");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("named");
                RecordedRequest received = backend.received().get(0);
                assertThat(received.getHandshakeServerNames()).containsExactly("api.internal.example");
                assertThat(received.getHeaders().get("Host")).as("unchanged by server_name")
                        .isEqualTo("localhost:" + backend.port());
            }
        }
    }

    @Test
    void anIpLiteralBackendIsVerifiedAgainstTheCertificatesIpAddressesAndGetsNoSni() throws Exception {
        try (HttpsBackend withIp = new HttpsBackend(ca.server("127.0.0.1"), null, "by ip");
             HttpsBackend withName = new HttpsBackend(ca.server("localhost"), null, "never");
             TestGateway gateway = TestGateway.start(config("https://127.0.0.1:" + withIp.port(),
                     "{ca: " + caFile + "}"));
             TestGateway mismatched = TestGateway.start(config("https://127.0.0.1:" + withName.port(),
                     "{ca: " + caFile + "}"))) {
            HttpResponse<String> response = gateway.get("/x");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(withIp.received().get(0).getHandshakeServerNames()).as("no SNI for an IP").isEmpty();

            assertThat(mismatched.get("/x").statusCode()).isEqualTo(502);
            assertThat(tlsFailures(mismatched, "hostname_mismatch")).isPositive();
        }
    }

    @Test
    void anExpiredBackendCertificateGives502() throws Exception {
        TestPki.Issued expired = ca.issue(TestPki.KeyKind.EC, Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(1)), KeyPurposeId.id_kp_serverAuth, "localhost");
        try (HttpsBackend backend = new HttpsBackend(expired, null, "never");
             TestGateway gateway = TestGateway.start(config(localhost(backend), "{ca: " + caFile + "}"))) {
            HttpResponse<String> response = gateway.get("/x");
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).startsWith(TLS_FAILED);
            assertThat(tlsFailures(gateway, "certificate_expired")).isPositive();
        }
    }

    @Test
    void aBackendThatRequiresAClientCertificateGetsTheConfiguredOne() throws Exception {
        try (HttpsBackend backend = new HttpsBackend(ca.server("localhost"), ca.certificate(), "mutual")) {
            try (TestGateway gateway = TestGateway.start(config(localhost(backend), "{ca: " + caFile + "}"))) {
                HttpResponse<String> response = gateway.get("/x");
                assertThat(response.statusCode()).isEqualTo(502);
                assertThat(response.body()).startsWith(TLS_FAILED);
                assertThat(tlsFailures(gateway, "client_certificate_rejected")).isPositive();
            }
            try (TestGateway gateway = TestGateway.start(config(localhost(backend), "{ca: %s, client_certificate: "
                    .formatted(caFile) + "{cert: %s, key: %s}}".formatted(clientFiles.cert(), clientFiles.key())))) {
                HttpResponse<String> response = gateway.get("/x");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("mutual");
                List<RecordedRequest> received = backend.received();
                assertThat(received).hasSize(1);
                assertThat(received.get(0).getHandshake().peerPrincipal().getName())
                        .isEqualTo("CN=gatehouse-gateway");
            }
        }
    }

    @Test
    void insecureSkipVerifyAcceptsAnyCertificateAndWarnsNamingThePool() throws Exception {
        try (HttpsBackend backend = new HttpsBackend(TestPki.authority("Unknown").server("elsewhere"), null, "ok");
             CapturedLogs logs = CapturedLogs.of(UpstreamTls.class);
             TestGateway gateway = TestGateway.start(config(localhost(backend), "{insecure_skip_verify: true}"))) {
            assertThat(gateway.get("/x").statusCode()).isEqualTo(200);
            assertThat(logs.messages(Level.WARN)).singleElement().asString()
                    .startsWith("pool api: insecure_skip_verify is on: the backends' TLS certificates are not "
                            + "verified");
        }
    }

    @Test
    void aFailedHandshakeIsRetriedOnAnotherBackendLikeARefusedConnect() throws Exception {
        try (HttpsBackend good = new HttpsBackend(ca.server("localhost"), null, "good");
             HttpsBackend bad = new HttpsBackend(TestPki.authority("Rogue").server("localhost"), null, "never");
             TestGateway gateway = TestGateway.start(config(localhost(good) + ", " + localhost(bad),
                     "{ca: " + caFile + "}"))) {
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = gateway.get("/x");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("good");
            }
            assertThat(bad.received()).isEmpty();
        }
    }

    @Test
    void aReloadThatKeepsTheTlsSettingsKeepsTheConnections() throws Exception {
        try (HttpsBackend backend = new HttpsBackend(ca.server("localhost"), null, "kept");
             TestGateway gateway = TestGateway.start(config(localhost(backend), "{ca: " + caFile + "}"), 1)) {
            assertThat(gateway.get("/x").statusCode()).isEqualTo(200);
            gateway.install(config(localhost(backend), "{ca: " + caFile + "}", "response_timeout: 5s"));
            assertThat(gateway.get("/x").statusCode()).isEqualTo(200);
            assertThat(backend.received()).extracting(RecordedRequest::getConnectionIndex).containsExactly(0, 0);
        }
    }

    @Test
    void aReloadThatChangesTlsSettingsDoesNotReuseConnectionsMadeUnderTheOldOnes() throws Exception {
        try (HttpsBackend backend = new HttpsBackend(ca.server("localhost"), ca.certificate(), "mutual");
             TestGateway gateway = TestGateway.start(config(localhost(backend),
                     "{ca: %s, client_certificate: {cert: %s, key: %s}}".formatted(caFile, clientFiles.cert(),
                             clientFiles.key())), 1)) {
            assertThat(gateway.get("/x").statusCode()).isEqualTo(200);
            TestPki.Files rotated = ca.client("rotated-gateway").writeTo(dir, "rotated");
            gateway.install(config(localhost(backend), "{ca: %s, client_certificate: {cert: %s, key: %s}}"
                    .formatted(caFile, rotated.cert(), rotated.key())));
            assertThat(gateway.get("/x").statusCode()).isEqualTo(200);

            List<RecordedRequest> received = backend.received();
            assertThat(received).extracting(RecordedRequest::getConnectionIndex).containsExactly(0, 1);
            assertThat(received).extracting(r -> r.getHandshake().peerPrincipal().getName())
                    .containsExactly("CN=gatehouse-gateway", "CN=rotated-gateway");
        }
    }

    @Test
    void anHttpsUrlForAPlainHttpBackendGives502() throws Exception {
        try (MockWebServer plain = new MockWebServer()) {
            plain.start(InetAddress.getByName("127.0.0.1"), 0);
            try (TestGateway gateway = TestGateway.start(config("https://localhost:" + plain.getPort(), ""))) {
                HttpResponse<String> response = gateway.get("/x");
                assertThat(response.statusCode()).isEqualTo(502);
                assertThat(response.body()).startsWith(TLS_FAILED);
                // MockWebServer either closes at once or waits for an HTTP head that never comes.
                assertThat(tlsFailures(gateway, "closed_in_handshake") + tlsFailures(gateway, "handshake_timeout"))
                        .isPositive();
            }
        }
    }

    @Test
    void healthChecksOfHttpsBackendsUseTls() throws Exception {
        try (CapturedLogs logs = CapturedLogs.of(io.gatehouse.upstream.UpstreamPool.class);
             HttpsBackend good = new HttpsBackend(ca.server("localhost"), null, "good");
             HttpsBackend rogue = new HttpsBackend(TestPki.authority("Rogue").server("localhost"), null, "never");
             TestGateway gateway = TestGateway.start(config(localhost(good) + ", " + localhost(rogue),
                     "{ca: " + caFile + "}", "health_check: {path: /healthz, interval: 500ms, timeout: 500ms, "
                             + "healthy_threshold: 1, unhealthy_threshold: 1}"))) {
            await().atMost(Duration.ofSeconds(5)).until(() -> healthy(gateway, rogue) == 0.0);
            await().atMost(Duration.ofSeconds(5)).until(() -> good.received().stream()
                    .anyMatch(r -> r.getTarget().equals("/healthz")));
            assertThat(healthy(gateway, good)).as("reachable only over TLS, and healthy").isEqualTo(1.0);
            assertThat(rogue.received()).isEmpty();
            assertThat(logs.messages(Level.INFO)).anySatisfy(line -> assertThat(line)
                    .contains("backend localhost:" + rogue.port() + " is now DOWN")
                    .contains("TLS handshake failed: unknown_ca"));
        }
    }

    /** {@code gatehouse_upstream_tls_failures_total{reason}}. */
    private static double tlsFailures(TestGateway gateway, String reason) {
        return gateway.metric("gatehouse_upstream_tls_failures_total", "reason=\"" + reason + "\"");
    }

    private static double healthy(TestGateway gateway, HttpsBackend backend) {
        return gateway.metric("gatehouse_backend_healthy", "pool=\"api\"",
                "backend=\"localhost:" + backend.port() + "\"");
    }
}
