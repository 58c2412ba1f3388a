package io.gatehouse.tls;

import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;

import static io.gatehouse.tls.CertificateFixtures.entry;
import static io.gatehouse.tls.CertificateFixtures.tls;
import static org.assertj.core.api.Assertions.assertThat;

/** Which certificate each SNI name gets: exact names, one-label wildcards, and the default for the rest. */
class ServerCertificatesSniTest {
    private static final TestPki.Authority CA = TestPki.authority("SNI Test CA");

    @TempDir
    Path dir;
    private final CertificateFixtures.RecordingFactory factory = new CertificateFixtures.RecordingFactory();
    private TestPki.Issued api;
    private TestPki.Issued wildcard;
    private TestPki.Issued fallback;
    private ServerCertificates certificates;

    @BeforeEach
    void load() {
        fallback = CA.server("default.test");
        api = CA.server("api.example.com", "API2.example.com");
        wildcard = CA.server("*.example.com");
        // the default is listed last on purpose: its index, not its place, makes it the default
        certificates = ServerCertificates.load(tls(2, entry("api", api.writeTo(dir, "api")),
                entry("wild", wildcard.writeTo(dir, "wild")), entry("default", fallback.writeTo(dir, "default"))),
                factory, new GatewayMetrics(), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        certificates.close();
    }

    private X509Certificate served(String serverName) {
        return factory.leaf(certificates.map(serverName));
    }

    @Test
    void anExactNameWinsOverAWildcard() {
        assertThat(served("api.example.com")).isEqualTo(api.certificate());
        assertThat(served("api2.example.com")).as("names compare case-insensitively").isEqualTo(api.certificate());
        assertThat(served("API.EXAMPLE.COM")).isEqualTo(api.certificate());
    }

    @Test
    void aWildcardMatchesOneLabel() {
        assertThat(served("a.example.com")).isEqualTo(wildcard.certificate());
        assertThat(served("a.b.example.com")).isEqualTo(fallback.certificate());
        assertThat(served("example.com")).isEqualTo(fallback.certificate());
    }

    @Test
    void unknownAndMissingNamesGetTheDefault() {
        assertThat(served("unknown.test")).isEqualTo(fallback.certificate());
        assertThat(served(null)).isEqualTo(fallback.certificate());
        assertThat(served("default.test")).isEqualTo(fallback.certificate());
    }

    @Test
    void theFirstListedCertificateKeepsANameTwoCarry() {
        TestPki.Issued first = CA.server("shared.example.com");
        TestPki.Issued second = CA.server("shared.example.com", "other.example.com");
        try (ServerCertificates shared = ServerCertificates.load(tls(0, entry("first", first.writeTo(dir, "first")),
                entry("second", second.writeTo(dir, "second"))), factory, new GatewayMetrics(), Clock.systemUTC())) {
            assertThat(factory.leaf(shared.map("shared.example.com"))).isEqualTo(first.certificate());
            assertThat(factory.leaf(shared.map("other.example.com"))).isEqualTo(second.certificate());
        }
    }
}
