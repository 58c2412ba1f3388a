package io.gatehouse.tls;

import io.gatehouse.config.TlsConfig;
import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.Reply;
import io.gatehouse.testing.TestGateway;
import io.gatehouse.testing.TestPki;
import io.gatehouse.testing.TlsClients;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code server.tls.client_auth}: with {@code required} a client without a certificate, or with one the client CA
 * did not sign, is refused in the handshake and counted; a good one gets its answer. With {@code optional} all
 * three get their answer, and only the good certificate is the connection's verified one.
 */
class ClientAuthTest {
    private static final TestPki.Authority SERVER_CA = TestPki.authority("Gatehouse Server CA");
    private static final TestPki.Authority CLIENT_CA = TestPki.authority("Gatehouse Client CA");
    private static final TestPki.Authority STRANGER_CA = TestPki.authority("Someone Else's CA");
    private static final TestPki.Issued GOOD = CLIENT_CA.client("alice");
    private static final TestPki.Issued UNTRUSTED = STRANGER_CA.client("mallory");

    @TempDir
    Path dir;
    private MockWebServer backend;

    @BeforeEach
    void startBackend() throws IOException {
        backend = new MockWebServer();
        backend.start(0);
    }

    @AfterEach
    void stopBackend() {
        backend.close();
    }

    private TestGateway gateway(String mode) {
        TestPki.Files server = SERVER_CA.server("api.test").writeTo(dir, "server");
        Path clientCa = CLIENT_CA.writeTo(dir.resolve("clients.pem"));
        return TestGateway.start("""
                server:
                  tls:
                    port: 0
                    certificates: [{cert: %s, key: %s}]
                    client_auth: {mode: %s, ca: %s}
                routes:
                  - id: r
                    match: {path_prefix: /}
                    upstream: http://127.0.0.1:%d
                """.formatted(server.cert(), server.key(), mode, clientCa, backend.getPort()));
    }

    /** A GET on a new connection presenting {@code client} (or nothing), over {@code protocol}. */
    private static int statusWith(TestGateway gateway, TestPki.Issued client, String protocol) throws IOException {
        try (SSLSocket socket = TlsClients.connect(TlsClients.context(SERVER_CA.certificate(), client),
                gateway.tlsPort(), "api.test", protocol)) {
            String answer = RawHttp.over(socket).send(RawHttp.request("GET", "/x", "Host: api.test")).readResponse();
            return Reply.parse(answer).status();
        }
    }

    private void backendAnswers(int times) {
        for (int i = 0; i < times; i++) {
            backend.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        }
    }

    @Test
    void requiredRefusesAMissingOrUntrustedCertificateAndServesAGoodOne() throws Exception {
        try (TestGateway gateway = gateway("required")) {
            backendAnswers(2);
            for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
                // TLS 1.3 clients learn of the refusal on their first read, TLS 1.2 ones in the handshake
                assertThatThrownBy(() -> statusWith(gateway, null, protocol)).isInstanceOf(IOException.class);
                assertThatThrownBy(() -> statusWith(gateway, UNTRUSTED, protocol)).isInstanceOf(IOException.class);
                assertThat(statusWith(gateway, GOOD, protocol)).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(gateway.metric("gatehouse_tls_handshakes_total", "result=\"certificate_required\""))
                        .isEqualTo(2);
                assertThat(gateway.metric("gatehouse_tls_handshakes_total", "result=\"bad_certificate\""))
                        .isEqualTo(2);
                assertThat(gateway.metric("gatehouse_tls_handshakes_total", "result=\"success\"")).isEqualTo(2);
            });
            assertThat(backend.getRequestCount()).isEqualTo(2);
        }
    }

    @Test
    void optionalServesEveryClient() throws Exception {
        try (TestGateway gateway = gateway("optional")) {
            backendAnswers(3);

            assertThat(statusWith(gateway, null, "TLSv1.3")).isEqualTo(200);
            assertThat(statusWith(gateway, UNTRUSTED, "TLSv1.3")).isEqualTo(200);
            assertThat(statusWith(gateway, GOOD, "TLSv1.3")).isEqualTo(200);
        }
    }

    @Test
    void optionalVerifiesOnlyACertificateTheClientCaSigned() {
        ClientCertificateTrust trust = ClientCertificateTrust.of(new TlsConfig.ClientAuth(
                TlsConfig.ClientAuth.Mode.OPTIONAL, CLIENT_CA.writeTo(dir.resolve("clients.pem"))));

        assertThat(trust.verified(new Certificate[] {GOOD.certificate(), GOOD.issuer()}))
                .isEqualTo(GOOD.certificate());
        assertThat(trust.verified(new Certificate[] {GOOD.certificate()})).isEqualTo(GOOD.certificate());
        assertThat(trust.verified(new Certificate[] {UNTRUSTED.certificate(), UNTRUSTED.issuer()})).isNull();
        assertThat(trust.verified(null)).isNull();
    }

    @Test
    void anUnreadableCaIsAConfigErrorNamingTheKey() {
        Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> ClientCertificateTrust.of(new TlsConfig.ClientAuth(
                TlsConfig.ClientAuth.Mode.REQUIRED, missing)))
                .hasMessageStartingWith("server.tls.client_auth.ca: " + missing + ": cannot read it");
    }
}
