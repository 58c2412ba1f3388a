package io.gatehouse.tls;

import io.gatehouse.testing.TestGateway;
import io.gatehouse.testing.TestPki;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Session tickets, TLS 1.2 and 1.3: a client that kept its session resumes it without a full handshake
 * ({@code openssl s_client}). The lifetime hints are the context's session timeout (TLS 1.2) and BoringSSL's own
 * TLS 1.3 default; the rotating keys bound what is actually accepted.
 */
class SessionResumptionTest {
    private static final Path OPENSSL = Path.of("/usr/bin/openssl");
    private static final TestPki.Authority CA = TestPki.authority("Gatehouse Resumption CA");

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"-tls1_2, TLSv1.2, 3600", "-tls1_3, TLSv1.3, 172800"})
    void aSecondConnectionResumesTheSessionFromItsTicket(String flag, String protocol, int lifetimeHint)
            throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(OPENSSL), "openssl is not installed");
        TestPki.Files cert = CA.server("api.test").writeTo(dir, "server");
        try (TestGateway gateway = TestGateway.start("""
                server:
                  tls:
                    port: 0
                    certificates: [{cert: %s, key: %s}]
                routes:
                  - id: r
                    match: {path_prefix: /}
                    upstream: http://127.0.0.1:9
                """.formatted(cert.cert(), cert.key()))) {
            Path session = dir.resolve("session.pem");

            String first = sClient(gateway.tlsPort(), flag, "-sess_out", session.toString());
            String second = sClient(gateway.tlsPort(), flag, "-sess_in", session.toString());

            assertThat(first).contains("New, " + protocol,
                    "TLS session ticket lifetime hint: " + lifetimeHint + " (seconds)", "HTTP/1.1 200 OK");
            assertThat(session).isNotEmptyFile();
            assertThat(second).contains("Reused, " + protocol, "HTTP/1.1 200 OK");
        }
    }

    /**
     * A handshake with the given options, then a request for /healthz that closes the connection (a TLS 1.3 ticket
     * arrives after the handshake, so the client must stay until the answer); the output.
     */
    private String sClient(int port, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(OPENSSL.toString(), "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "api.test", "-ign_eof", "-CAfile", CA.writeTo(dir.resolve("ca.pem")).toString()));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write("GET /healthz HTTP/1.1\r\nHost: api.test\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes());
    }
}
