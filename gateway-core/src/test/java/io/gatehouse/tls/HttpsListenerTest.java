package io.gatehouse.tls;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.server.CannotListenException;
import io.gatehouse.server.GatewayServer;
import io.gatehouse.testing.RawHttp;
import io.gatehouse.testing.Reply;
import io.gatehouse.testing.TestGateway;
import io.gatehouse.testing.TestPki;
import io.gatehouse.testing.TlsClients;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.gatehouse.testing.MockBackends.received;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The HTTPS listener, end to end with JDK clients: protocols, SNI certificate choice, ALPN, plain HTTP on the TLS
 * port and TLS on the plain one, the handshake timeout, X-Forwarded-Proto, HSTS, the redirect of the plain port,
 * and what a reload may change.
 */
class HttpsListenerTest {
    private static final TestPki.Authority CA = TestPki.authority("Gatehouse Test CA");

    @TempDir
    Path dir;
    private MockWebServer backend;
    private TestPki.Files fallback;
    private TestPki.Files api;
    private TestPki.Files wildcard;

    @BeforeEach
    void setUp() throws IOException {
        backend = new MockWebServer();
        backend.start(0);
        fallback = CA.server("default.test").writeTo(dir, "default");
        api = CA.server("api.test").writeTo(dir, "api");
        wildcard = CA.server("*.wild.test").writeTo(dir, "wild");
    }

    @AfterEach
    void tearDown() {
        backend.close();
    }

    private String config(String tlsExtra) {
        return """
                server:
                  tls:
                    port: 0
                    certificates:
                      - {cert: %s, key: %s}
                      - {cert: %s, key: %s}
                      - {cert: %s, key: %s}
                %s
                routes:
                  - id: r
                    match: {path_prefix: /}
                    upstream: http://127.0.0.1:%d
                """.formatted(fallback.cert(), fallback.key(), api.cert(), api.key(), wildcard.cert(), wildcard.key(),
                tlsExtra.indent(4), backend.getPort());
    }

    private static SSLContext client() {
        return TlsClients.context(CA.certificate(), null);
    }

    private static Reply get(SSLSocket socket, String path, String host) throws IOException {
        return Reply.parse(RawHttp.over(socket).send(RawHttp.request("GET", path, "Host: " + host)).readResponse());
    }

    private void backendAnswers(int times) {
        for (int i = 0; i < times; i++) {
            backend.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        }
    }

    @Test
    void aHandshakeWithEachProtocolThenARequest() throws Exception {
        try (TestGateway gateway = TestGateway.start(config("ciphers: intermediate"))) {
            backendAnswers(2);
            for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
                try (SSLSocket socket = TlsClients.connect(client(), gateway.tlsPort(), "api.test", protocol)) {
                    assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
                    assertThat(get(socket, "/x", "api.test").status()).isEqualTo(200);
                }
            }
            assertThat(gateway.metric("gatehouse_tls_handshakes_total", "result=\"success\"")).isEqualTo(2);
        }
    }

    @Test
    void modernOffersTls13Only() throws Exception {
        try (TestGateway gateway = TestGateway.start(config("ciphers: modern"))) {
            try (SSLSocket socket = TlsClients.connect(client(), gateway.tlsPort(), "api.test")) {
                assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            }
            assertThatThrownBy(() -> TlsClients.connect(client(), gateway.tlsPort(), "api.test", "TLSv1.2").close())
                    .isInstanceOf(SSLException.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> gateway.metric("gatehouse_tls_handshakes_total",
                    "result=\"protocol_version\"") == 1);
        }
    }

    @Test
    void sniPicksTheCertificateExactWildcardOrDefault() throws Exception {
        try (TestGateway gateway = TestGateway.start(config(""))) {
            assertThat(servedFor(gateway, "api.test")).isEqualTo("CN=api.test");
            assertThat(servedFor(gateway, "x.wild.test")).isEqualTo("CN=*.wild.test");
            assertThat(servedFor(gateway, "unknown.test")).isEqualTo("CN=default.test");
            assertThat(servedFor(gateway, null)).isEqualTo("CN=default.test");
        }
    }

    @Test
    void theDefaultCertificateIsConfigurable() throws Exception {
        try (TestGateway gateway = TestGateway.start(config("default_certificate: 1"))) {
            assertThat(servedFor(gateway, "unknown.test")).isEqualTo("CN=api.test");
        }
    }

    private static String servedFor(TestGateway gateway, String serverName) throws IOException {
        try (SSLSocket socket = TlsClients.connect(client(), gateway.tlsPort(), serverName)) {
            return TlsClients.serverCertificate(socket).getSubjectX500Principal().getName();
        }
    }

    @Test
    void alpnOffersH2FirstThenHttp11() throws Exception {
        try (TestGateway gateway = TestGateway.start(config(""));
             SSLSocket both = TlsClients.connect(client(), gateway.tlsPort(), "api.test", List.of("h2", "http/1.1"));
             SSLSocket http11 = TlsClients.connect(client(), gateway.tlsPort(), "api.test")) {
            assertThat(both.getApplicationProtocol()).isEqualTo("h2");
            assertThat(http11.getApplicationProtocol()).isEqualTo("http/1.1");
        }
    }

    @Test
    void withoutHttp2AlpnOffersHttp11Only() throws Exception {
        String http2Off = config("").replace("routes:", "  http2: {enabled: false}\nroutes:");
        try (TestGateway gateway = TestGateway.start(http2Off);
             SSLSocket socket = TlsClients.connect(client(), gateway.tlsPort(), "api.test",
                     List.of("h2", "http/1.1"))) {
            assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
        }
    }

    @Test
    void plainHttpOnTheTlsPortGetsAPlaintext400AndClose() throws Exception {
        try (TestGateway gateway = TestGateway.start(config(""));
             RawHttp raw = new RawHttp(gateway.tlsPort())) {
            String answer = raw.send(RawHttp.request("GET", "/x")).readUntilClose();

            Reply reply = Reply.parse(answer);
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.errorCode()).isEqualTo("http_to_https_port");
            assertThat(reply.header("Connection")).isEqualTo("close");
            assertThat(gateway.metric("gatehouse_tls_handshakes_total", "result=\"not_tls\"")).isEqualTo(1);
            assertThat(backend.getRequestCount()).isZero();
        }
    }

    @Test
    void tlsOnThePlainPortIsRefusedWithoutAHang() throws Exception {
        try (TestGateway gateway = TestGateway.start(config(""))) {
            assertThatThrownBy(() -> TlsClients.connect(client(), gateway.port(), "api.test").close())
                    .isInstanceOf(SSLException.class)
                    .isNotInstanceOf(SocketTimeoutException.class);
            assertThat(backend.getRequestCount()).isZero();
        }
    }

    @Test
    void aClientThatSendsNothingIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (TestGateway gateway = TestGateway.start(config("handshake_timeout: 300ms"));
             Socket silent = new Socket("127.0.0.1", gateway.tlsPort())) {
            silent.setSoTimeout(10_000);

            assertThat(silent.getInputStream().read()).isEqualTo(-1); // closed by the gateway, well before 10 s
            await().atMost(Duration.ofSeconds(5)).until(() -> gateway.metric("gatehouse_tls_handshakes_total",
                    "result=\"timeout\"") == 1);
        }
    }

    @Test
    void forwardedProtoSaysHowTheClientCame() throws Exception {
        try (TestGateway gateway = TestGateway.start(config(""))) {
            backendAnswers(2);
            try (SSLSocket socket = TlsClients.connect(client(), gateway.tlsPort(), "api.test")) {
                assertThat(get(socket, "/tls", "api.test").status()).isEqualTo(200);
            }
            assertThat(gateway.get("/plain").statusCode()).isEqualTo(200);

            RecordedRequest overTls = received(backend);
            RecordedRequest plain = received(backend);
            assertThat(overTls.getHeaders().get("X-Forwarded-Proto")).isEqualTo("https");
            assertThat(plain.getHeaders().get("X-Forwarded-Proto")).isEqualTo("http");
        }
    }

    @Test
    void hstsOnTlsResponsesOnly() throws Exception {
        try (TestGateway gateway = TestGateway.start(config("hsts: {max_age: 1d, include_subdomains: true}"))) {
            backendAnswers(2);
            try (SSLSocket socket = TlsClients.connect(client(), gateway.tlsPort(), "api.test")) {
                assertThat(get(socket, "/x", "api.test").header("Strict-Transport-Security"))
                        .isEqualTo("max-age=86400; includeSubDomains");
            }
            assertThat(gateway.get("/x").headers().firstValue("Strict-Transport-Security")).isEmpty();
        }
    }

    @Test
    void redirectHttpSendsPlainRequestsToHttpsButNotTheBuiltIns() throws Exception {
        try (TestGateway gateway = TestGateway.start(config("redirect_http: true"))) {
            Reply redirect = gateway.exchange(RawHttp.request("POST", "/orders?id=7", "Host: api.test:8080",
                    "Content-Length: 0"));

            assertThat(redirect.status()).isEqualTo(308);
            assertThat(redirect.header("Location")).isEqualTo("https://api.test:" + gateway.tlsPort() + "/orders?id=7");
            assertThat(redirect.errorCode()).isEqualTo("https_required");
            assertThat(gateway.get("/healthz").statusCode()).isEqualTo(200);
            backendAnswers(1);
            try (SSLSocket socket = TlsClients.connect(client(), gateway.tlsPort(), "api.test")) {
                assertThat(get(socket, "/orders", "api.test").status()).isEqualTo(200);
            }
        }
    }

    @Test
    void aReloadMayChangeHstsButNotTheListener() throws Exception {
        try (TestGateway gateway = TestGateway.start(config(""))) {
            gateway.install(config("hsts: {max_age: 2d}\nhandshake_timeout: 5s"));
            backendAnswers(1);
            try (SSLSocket socket = TlsClients.connect(client(), gateway.tlsPort(), "api.test")) {
                assertThat(get(socket, "/x", "api.test").header("Strict-Transport-Security"))
                        .isEqualTo("max-age=172800");
            }

            assertThatThrownBy(() -> gateway.install(config("protocols: [TLSv1.3]")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("server.tls.protocols: cannot change while running (running: [TLSv1.3, TLSv1.2];"
                            + " restart to change it)");
            assertThatThrownBy(() -> gateway.install(config("").replace("port: 0", "port: 1")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("server.tls.port: cannot change while running (running: 0;");
        }
    }

    @Test
    void whenTheTlsPortIsTakenNeitherListenerStays() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int plainPort;
            try (ServerSocket probe = new ServerSocket(0)) {
                plainPort = probe.getLocalPort();
            }
            String yaml = config("").replace("port: 0", "port: " + taken.getLocalPort())
                    .replace("server:\n", "server:\n  host: 127.0.0.1\n  port: " + plainPort + "\n");

            assertThatThrownBy(() -> GatewayServer.start(ConfigLoader.parse(yaml, Map.of())))
                    .isInstanceOf(CannotListenException.class)
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ");
            try (ServerSocket plainAgain = new ServerSocket(plainPort, 50, InetAddress.getLoopbackAddress())) {
                assertThat(plainAgain.isBound()).as("the plain listener was closed").isTrue();
            }
        }
    }

    @Test
    void tls11AndOlderAreRefused() throws Exception {
        Path openssl = Path.of("/usr/bin/openssl");
        org.junit.jupiter.api.Assumptions.assumeTrue(openssl.toFile().canExecute(), "openssl is not installed");
        try (TestGateway gateway = TestGateway.start(config(""))) {
            for (String flag : new String[] {"-tls1_1", "-tls1"}) {
                Process process = new ProcessBuilder(openssl.toString(), "s_client", "-connect",
                        "127.0.0.1:" + gateway.tlsPort(), "-servername", "api.test", flag, "-cipher",
                        "DEFAULT:@SECLEVEL=0")
                        .redirectErrorStream(true).start();
                process.getOutputStream().close();
                assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                String output = new String(process.getInputStream().readAllBytes());
                assertThat(process.exitValue()).as(output).isNotZero();
                assertThat(output).doesNotContain("BEGIN CERTIFICATE");
            }
            assertThat(gateway.metric("gatehouse_tls_handshakes_total", "result=\"protocol_version\"")).isEqualTo(2);
        }
    }
}
