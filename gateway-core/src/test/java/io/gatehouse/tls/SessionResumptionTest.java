package io.gatehouse.tls;

import io.gatehouse.testing.TestGateway;
import io.gatehouse.testing.TestPki;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Session tickets: a client that kept its session resumes it without a full handshake ({@code openssl s_client}). */
class SessionResumptionTest {
    private static final Path OPENSSL = Path.of("/usr/bin/openssl");
    private static final TestPki.Authority CA = TestPki.authority("Gatehouse Resumption CA");

    @TempDir
    Path dir;

    @Test
    void aSecondConnectionResumesTheSessionFromItsTicket() throws Exception {
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

            String first = sClient(gateway.tlsPort(), "-sess_out", session.toString());
            String second = sClient(gateway.tlsPort(), "-sess_in", session.toString());

            assertThat(first).contains("New, TLSv1.2", "TLS session ticket lifetime hint: 3600 (seconds)");
            assertThat(session).isNotEmptyFile();
            assertThat(second).contains("Reused, TLSv1.2");
        }
    }

    /** A TLS 1.2 handshake (whose ticket arrives within it) with the given session options; the output. */
    private String sClient(int port, String... sessionOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(OPENSSL.toString(), "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "api.test", "-tls1_2", "-CAfile", CA.writeTo(dir.resolve("ca.pem")).toString()));
        command.addAll(List.of(sessionOptions));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes());
    }
}
