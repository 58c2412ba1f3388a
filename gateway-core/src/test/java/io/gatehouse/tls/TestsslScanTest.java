package io.gatehouse.tls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.testing.TestGateway;
import io.gatehouse.testing.TestPki;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code testssl.sh} (the Debian package's {@code testssl}) against the HTTPS listener with the {@code modern} and
 * {@code intermediate} profiles: protocols, cipher categories, forward secrecy, server preferences, defaults (with the test CA added, so the
 * chain is trusted) and the vulnerability checks find nothing of severity MEDIUM or above. Offline: no DNS, no
 * OCSP or CRL fetches. Needs the binary; skipped only off CI when it is missing (./test.sh installs it).
 */
@Tag("testssl")
class TestsslScanTest {
    private static final Path TESTSSL = Path.of("/usr/bin/testssl");
    private static final Set<String> SERIOUS = Set.of("MEDIUM", "HIGH", "CRITICAL");
    /**
     * About the certificate, not the listener: the test CA runs no revocation service, so its certificates name no CRL
     * or OCSP URI (HIGH in testssl). An operator's certificate from a public CA has them.
     */
    private static final Set<String> CERTIFICATE_ONLY = Set.of("cert_revocation");
    private static final TestPki.Authority CA = TestPki.authority("Gatehouse Testssl CA");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"modern", "intermediate"})
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void noFindingOfMediumSeverityOrAbove(String profile) throws Exception {
        boolean onCi = System.getenv("CI") != null;
        Assumptions.assumeTrue(onCi || Files.isExecutable(TESTSSL),
                "testssl is not installed (Debian package testssl.sh; ./test.sh installs it); skipped off CI");
        TestPki.Files cert = CA.server("localhost", "gatehouse.test").writeTo(dir, "server");
        Path caFile = CA.writeTo(dir.resolve("ca.pem"));
        String yaml = """
                server:
                  tls:
                    port: 0
                    certificates: [{cert: %s, key: %s}]
                    ciphers: %s
                    hsts: {max_age: 365d, include_subdomains: true}
                routes:
                  - id: r
                    match: {path_prefix: /}
                    upstream: http://127.0.0.1:9
                """.formatted(cert.cert(), cert.key(), profile);
        try (TestGateway gateway = TestGateway.start(yaml)) {
            List<JsonNode> findings = scan(gateway.tlsPort(), caFile);

            assertThat(findings).as("testssl findings").isNotEmpty();
            assertThat(findings).filteredOn(f -> SERIOUS.contains(f.path("severity").asText())
                            && !CERTIFICATE_ONLY.contains(f.path("id").asText()))
                    .as("findings of severity MEDIUM or above").isEmpty();
            assertThat(findings).filteredOn(f -> f.path("id").asText().equals("TLS1_3"))
                    .singleElement().satisfies(f -> assertThat(f.path("finding").asText()).startsWith("offered"));
        }
    }

    private List<JsonNode> scan(int port, Path caFile) throws IOException, InterruptedException {
        Path json = dir.resolve("testssl.json");
        Path log = dir.resolve("testssl.log");
        Process process = new ProcessBuilder(TESTSSL.toString(), "--quiet", "--warnings", "off", "--color", "0",
                "--nodns", "none", "--ip", "127.0.0.1", "--sneaky", "--connect-timeout", "10",
                "--openssl-timeout", "10", "--add-ca", caFile.toString(), "-p", "-s", "-f", "-P", "-S", "-U",
                "--jsonfile", json.toString(), "localhost:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = process.waitFor(8, TimeUnit.MINUTES);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (!done) {
            process.destroyForcibly();
        }
        assertThat(done).as("testssl finished; output:\n" + output).isTrue();
        List<JsonNode> findings = new ArrayList<>();
        new ObjectMapper().readTree(json.toFile()).forEach(findings::add);
        System.out.println(output); // the report, in the test's output file
        return findings;
    }
}
