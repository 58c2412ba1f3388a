package io.gatehouse.tls;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.TlsConfig;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.testing.TestPki;
import io.gatehouse.testing.TestPki.KeyKind;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.function.Function;

import static io.gatehouse.tls.CertificateFixtures.entry;
import static io.gatehouse.tls.CertificateFixtures.tls;
import static io.gatehouse.tls.CertificateFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading and checking the certificate files at start: every key format, and a clear error for each bad file. */
class ServerCertificatesLoadTest {
    private static final TestPki.Authority CA = TestPki.authority("Load Test CA");

    @TempDir
    Path dir;
    private final CertificateFixtures.RecordingFactory factory = new CertificateFixtures.RecordingFactory();
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final List<ServerCertificates> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(ServerCertificates::close);
    }

    private ServerCertificates load(TlsConfig tls, Clock clock) {
        ServerCertificates certificates = ServerCertificates.load(tls, factory, metrics, clock);
        opened.add(certificates);
        return certificates;
    }

    private ServerCertificates load(TlsConfig.Certificate... entries) {
        return load(tls(0, entries), Clock.systemUTC());
    }

    private static TestPki.Issued issue(KeyKind kind) {
        return CA.issue(kind, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(90)),
                KeyPurposeId.id_kp_serverAuth, "api.example.com");
    }

    enum KeyFormat {
        PKCS8_EC(KeyKind.EC, issued -> issued.keyPem()),
        PKCS8_RSA(KeyKind.RSA, issued -> issued.keyPem()),
        PKCS1_RSA(KeyKind.RSA, issued -> CertificateFixtures.legacyPem(issued.key())),
        SEC1_EC(KeyKind.EC, issued -> CertificateFixtures.legacyPem(issued.key())),
        // as `openssl ecparam -genkey` writes it: the curve's own block first
        SEC1_EC_WITH_PARAMETERS(KeyKind.EC, issued -> "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n"
                + "-----END EC PARAMETERS-----\n" + CertificateFixtures.legacyPem(issued.key()));

        final KeyKind kind;
        final Function<TestPki.Issued, String> pem;

        KeyFormat(KeyKind kind, Function<TestPki.Issued, String> pem) {
            this.kind = kind;
            this.pem = pem;
        }
    }

    @ParameterizedTest
    @EnumSource(KeyFormat.class)
    void readsEachKeyFormat(KeyFormat format) {
        TestPki.Issued issued = issue(format.kind);
        TestPki.Files files = issued.writeTo(dir, "api");
        write(files.key(), format.pem.apply(issued));

        ServerCertificates certificates = load(entry("api", files));

        assertThat(format.pem.apply(issued)).contains(format.name().startsWith("PKCS8") ? "BEGIN PRIVATE KEY"
                : format.kind == KeyKind.RSA ? "BEGIN RSA PRIVATE KEY" : "BEGIN EC PRIVATE KEY");
        assertThat(factory.leaf(certificates.map("api.example.com"))).isEqualTo(issued.certificate());
    }

    @Test
    void readsAnEd25519Key() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        X500Name name = new X500Name("CN=ed.example.com");
        X509Certificate selfSigned = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                name, BigInteger.ONE, Date.from(Instant.now().minusSeconds(60)),
                Date.from(Instant.now().plus(Duration.ofDays(1))), name, keys.getPublic())
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, "ed.example.com")))
                .build(new JcaContentSignerBuilder("Ed25519").build(keys.getPrivate())));
        Path cert = write(dir.resolve("ed.pem"), CertificateFixtures.pemOf(selfSigned));
        Path key = write(dir.resolve("ed.key"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");

        ServerCertificates certificates = load(new TlsConfig.Certificate("ed", cert, key));

        assertThat(factory.leaf(certificates.map("ed.example.com"))).isEqualTo(selfSigned);
    }

    @Test
    void keepsTheIntermediatesAfterTheLeaf() {
        TestPki.Issued issued = CA.server("api.example.com");
        TestPki.Files files = issued.writeTo(dir, "api");
        List<KeyMaterial> seen = new ArrayList<>();
        ServerCertificates certificates = ServerCertificates.load(tls(0, entry("api", files)), material -> {
            seen.add(material);
            return factory.create(material);
        }, metrics, Clock.systemUTC());
        opened.add(certificates);

        assertThat(seen).singleElement().satisfies(material -> {
            assertThat(material.chain()).containsExactly(issued.certificate(), CA.certificate());
            assertThat(material.name()).isEqualTo("api");
        });
    }

    @Test
    void refusesEncryptedKeys() {
        TestPki.Issued issued = CA.server("api.example.com");
        TestPki.Files pkcs8 = issued.writeTo(dir, "pkcs8");
        write(pkcs8.key(), CertificateFixtures.encryptedPkcs8Pem(issued.key()));
        TestPki.Files legacy = issued.writeTo(dir, "legacy");
        write(legacy.key(), CertificateFixtures.encryptedLegacyPem(issued.key()));

        assertThatThrownBy(() -> load(entry("pkcs8", pkcs8), entry("legacy", legacy)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
                        "server.tls.certificates[0].key: pkcs8: " + pkcs8.key() + ": the private key is encrypted; "
                                + "the gateway cannot ask for a passphrase (expected: an unencrypted key, e.g. from: "
                                + "openssl pkey -in encrypted.key -out plain.key)",
                        "server.tls.certificates[1].key: legacy: " + legacy.key() + ": the private key is encrypted; "
                                + "the gateway cannot ask for a passphrase (expected: an unencrypted key, e.g. from: "
                                + "openssl pkey -in encrypted.key -out plain.key)"));
    }

    @Test
    void refusesAKeyOfAnotherCertificateWithoutShowingIt() {
        TestPki.Files files = CA.server("api.example.com").writeTo(dir, "api");
        TestPki.Issued other = CA.server("other.example.com");
        write(files.key(), other.keyPem());

        assertThatThrownBy(() -> load(entry("api", files)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("server.tls.certificates[0].key: api: " + files.key() + ": the key does not belong to the "
                        + "certificate in " + files.cert() + " (CN=api.example.com)")
                .message().doesNotContain(Base64.getEncoder().encodeToString(other.key().getEncoded()).substring(0, 40));
    }

    @Test
    void refusesARsaKeyForAnEcCertificate() {
        TestPki.Files files = CA.server("api.example.com").writeTo(dir, "api");
        write(files.key(), issue(KeyKind.RSA).keyPem());

        assertThatThrownBy(() -> load(entry("api", files))).hasMessageContaining("the key does not belong to");
    }

    @Test
    void saysWhenTheLeafIsNotFirst() {
        TestPki.Issued issued = CA.server("api.example.com");
        TestPki.Files files = issued.writeTo(dir, "api");
        write(files.cert(), CertificateFixtures.pemOf(CA.certificate()) + issued.certificatePem());

        assertThatThrownBy(() -> load(entry("api", files))).hasMessage("server.tls.certificates[0].key: api: "
                + files.key() + ": the key belongs to certificate 2 of " + files.cert()
                + ", not to the first (expected: the server's certificate first, then its intermediates)");
    }

    @Test
    void refusesAnExpiredCertificateByTheClock() {
        TestPki.Issued issued = CA.server("api.example.com");
        TestPki.Files files = issued.writeTo(dir, "api");
        Clock later = Clock.fixed(issued.certificate().getNotAfter().toInstant().plusSeconds(1), ZoneOffset.UTC);

        assertThatThrownBy(() -> load(tls(0, entry("api", files)), later)).hasMessage(
                "server.tls.certificates[0].cert: api: " + files.cert() + ": the certificate expired on "
                        + issued.certificate().getNotAfter().toInstant() + " (CN=api.example.com)");
    }

    @Test
    void refusesACertificateNotValidYet() {
        TestPki.Issued issued = CA.server("api.example.com");
        TestPki.Files files = issued.writeTo(dir, "api");
        Clock earlier = Clock.fixed(issued.certificate().getNotBefore().toInstant().minusSeconds(1), ZoneOffset.UTC);

        assertThatThrownBy(() -> load(tls(0, entry("api", files)), earlier)).hasMessage(
                "server.tls.certificates[0].cert: api: " + files.cert() + ": the certificate is not valid before "
                        + issued.certificate().getNotBefore().toInstant() + " (CN=api.example.com)");
    }

    @Test
    void refusesEmptyGarbageAndMissingFiles() {
        TestPki.Issued issued = CA.server("api.example.com");
        TestPki.Files empty = issued.writeTo(dir, "empty");
        write(empty.cert(), "");
        TestPki.Files garbage = issued.writeTo(dir, "garbage");
        write(garbage.cert(), "this is not a certificate\n");
        TestPki.Files garbageKey = issued.writeTo(dir, "garbage-key");
        write(garbageKey.key(), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        TestPki.Files badBase64 = issued.writeTo(dir, "base64");
        write(badBase64.cert(), "-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----\n");
        TlsConfig.Certificate missing = new TlsConfig.Certificate("missing", dir.resolve("nope.pem"),
                empty.key());

        assertThatThrownBy(() -> load(entry("empty", empty), entry("garbage", garbage),
                entry("garbage-key", garbageKey), entry("base64", badBase64), missing))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
                        "server.tls.certificates[0].cert: empty: " + empty.cert()
                                + ": the file is empty (expected: PEM certificates, the server's first)",
                        "server.tls.certificates[1].cert: garbage: " + garbage.cert() + ": no certificate found "
                                + "(expected: PEM blocks -----BEGIN CERTIFICATE-----, the server's first)",
                        "server.tls.certificates[2].key: garbage-key: " + garbageKey.key()
                                + ": the PRIVATE KEY block is not a valid key of that kind",
                        "server.tls.certificates[3].cert: base64: " + badBase64.cert()
                                + ": its CERTIFICATE block number 1 is not valid base64",
                        "server.tls.certificates[4].cert: missing: " + dir.resolve("nope.pem")
                                + ": the file does not exist"));
    }

    @Test
    void publishesEachCertificatesExpiry() {
        TestPki.Issued issued = CA.server("api.example.com");
        load(entry("api", issued.writeTo(dir, "api")));

        long notAfter = issued.certificate().getNotAfter().toInstant().getEpochSecond();
        assertThat(metrics.scrape())
                .contains("gatehouse_tls_certificate_expiry_seconds{name=\"api\"} " + (double) notAfter)
                .contains("gatehouse_tls_certificate_reloads_total{name=\"api\"} 0.0")
                .contains("gatehouse_tls_certificate_reload_failures_total{name=\"api\"} 0.0");
    }
}
