package io.gatehouse.tls;

import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.Reply;
import io.gatehouse.testing.TestGateway;
import io.gatehouse.testing.TestPki;
import io.gatehouse.testing.TlsClients;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static io.gatehouse.testing.MockBackends.received;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code auth: [mtls]}: the verified client certificate is the consumer (by subject or CN), its roles are checked,
 * and who it is goes upstream in the configured headers, never in copies a client sent. Without a verified
 * certificate: 401; verified but unknown: 403.
 */
class MtlsAuthTest {
    private static final TestPki.Authority SERVER_CA = TestPki.authority("Gatehouse Server CA");
    private static final TestPki.Authority CLIENT_CA = TestPki.authority("Gatehouse Client CA");
    private static final TestPki.Issued BILLING = CLIENT_CA.client("billing", "billing.internal");
    private static final TestPki.Issued REPORTS = CLIENT_CA.client("reports");
    private static final TestPki.Issued STRANGER = CLIENT_CA.client("stranger");
    private static final TestPki.Issued UNTRUSTED = TestPki.authority("Other CA").client("billing");

    @TempDir
    Path dir;
    private MockWebServer backend;
    private TestGateway gateway;

    @BeforeEach
    void start() throws IOException {
        backend = new MockWebServer();
        backend.start(0);
        TestPki.Files server = SERVER_CA.server("api.test").writeTo(dir, "server");
        gateway = TestGateway.start("""
                server:
                  tls:
                    port: 0
                    certificates: [{cert: %s, key: %s}]
                    client_auth: {mode: optional, ca: %s}
                auth:
                  default: []
                  mtls:
                    consumers:
                      - {id: billing, roles: [payments]}
                      - {id: reports, roles: [reading]}
                    forward_headers: {X-Client-Cert-Subject: subject, X-Client-Cert-SANs: san_dns}
                routes:
                  - id: payments
                    match: {path_prefix: /pay}
                    upstream: http://127.0.0.1:%4$d
                    auth: [mtls]
                    roles: [payments]
                  - id: open
                    match: {path_prefix: /}
                    upstream: http://127.0.0.1:%4$d
                    auth: [mtls]
                """.formatted(server.cert(), server.key(), CLIENT_CA.writeTo(dir.resolve("clients.pem")),
                backend.getPort()));
    }

    @AfterEach
    void stop() {
        gateway.close();
        backend.close();
    }

    private Reply get(TestPki.Issued client, String path, String... headers) throws IOException {
        try (SSLSocket socket = TlsClients.connect(TlsClients.context(SERVER_CA.certificate(), client),
                gateway.tlsPort(), "api.test")) {
            String[] lines = new String[headers.length + 1];
            System.arraycopy(headers, 0, lines, 0, headers.length);
            lines[headers.length] = "Host: api.test";
            return Reply.parse(RawHttp.over(socket).send(RawHttp.request("GET", path, lines)).readResponse());
        }
    }

    @Test
    void theCertificateIsTheConsumerAndGoesUpstreamInPlaceOfClientCopies() throws Exception {
        backend.enqueue(new MockResponse.Builder().code(200).build());

        Reply reply = get(BILLING, "/pay/1", "X-Client-Cert-Subject: CN=admin", "X-Consumer-Id: admin");

        assertThat(reply.status()).isEqualTo(200);
        RecordedRequest upstream = received(backend);
        assertThat(upstream.getHeaders().values("X-Consumer-Id")).containsExactly("billing");
        assertThat(upstream.getHeaders().values("X-Client-Cert-Subject")).containsExactly("CN=billing");
        assertThat(upstream.getHeaders().values("X-Client-Cert-SANs"))
                .containsExactly("billing, billing.internal");
        assertThat(gateway.accessLogLine(reply.header("X-Request-ID")).path("consumer").asText())
                .isEqualTo("billing");
    }

    @Test
    void overHttp2TheConnectionsCertificateIsEveryStreamsConsumer() throws Exception {
        OkHttpClient billing = TlsClients.okHttp(SERVER_CA.certificate(), BILLING, List.of(Protocol.HTTP_2,
                Protocol.HTTP_1_1));
        OkHttpClient reports = TlsClients.okHttp(SERVER_CA.certificate(), REPORTS, List.of(Protocol.HTTP_2,
                Protocol.HTTP_1_1));
        backend.enqueue(new MockResponse.Builder().code(200).build());
        String url = "https://api.test:" + gateway.tlsPort() + "/pay/1";

        try (Response paid = billing.newCall(new Request.Builder().url(url).build()).execute();
             Response refused = reports.newCall(new Request.Builder().url(url).build()).execute()) {
            assertThat(paid.protocol()).isEqualTo(Protocol.HTTP_2);
            assertThat(paid.code()).isEqualTo(200);
            assertThat(refused.protocol()).isEqualTo(Protocol.HTTP_2);
            assertThat(refused.code()).isEqualTo(403);
        }
        assertThat(received(backend).getHeaders().values("X-Consumer-Id")).containsExactly("billing");
    }

    @Test
    void rolesComeFromTheConsumerMatchedByCn() throws Exception {
        backend.enqueue(new MockResponse.Builder().code(200).build());

        assertThat(get(REPORTS, "/pay/1").status()).isEqualTo(403);
        assertThat(get(REPORTS, "/reports").status()).isEqualTo(200);
        assertThat(received(backend).getHeaders().get("X-Consumer-Id")).isEqualTo("reports");
    }

    @Test
    void withoutAVerifiedCertificate401AndUnknownOnes403() throws Exception {
        Reply none = get(null, "/reports");
        Reply untrusted = get(UNTRUSTED, "/reports");
        Reply unknown = get(STRANGER, "/reports");

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.errorCode()).isEqualTo("unauthorized");
        assertThat(untrusted.status()).as("optional: an untrusted certificate is no certificate").isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(403);
        assertThat(gateway.get("/reports").statusCode()).as("plain HTTP has no certificate").isEqualTo(401);
        assertThat(gateway.metric("gatehouse_auth_rejections_total", "reason=\"unknown_client_certificate\""))
                .isEqualTo(1);
        assertThat(backend.getRequestCount()).isZero();
    }
}
