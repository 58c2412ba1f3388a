package io.gatehouse.tls;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.config.TlsConfig;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.testing.TestPki;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static io.gatehouse.tls.CertificateFixtures.tls;
import static io.gatehouse.tls.CertificateFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Certificates replaced on disk the ways operators and Kubernetes replace them, seen by real TLS clients of a Netty
 * server whose SNI handler consults {@link ServerCertificates}: new handshakes get the new certificate, open
 * connections keep theirs, and a replacement that cannot be used is refused while the old one stays.
 */
class CertificateRotationTest {
    private static final TestPki.Authority CA = TestPki.authority("Rotation Test CA");
    private static final String NAME = "api.example.com";
    private static final Duration SETTLE = Duration.ofMillis(500); // margin for a loaded machine between two moves
    private static final Duration BOUND = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ServerCertificates.class);
    private TestPki.Issued old;
    private ServerCertificates certificates;
    private TlsEchoServer server;

    @BeforeEach
    void captureLog() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void stop() throws InterruptedException {
        logger.detachAppender(logged);
        if (server != null) {
            server.close();
        }
        if (certificates != null) {
            certificates.close();
        }
    }

    /** Serves {@code old} from {@code cert} and {@code key}, re-checking every {@code recheck}. */
    private void start(Path cert, Path key, Duration recheck) throws Exception {
        TlsConfig tls = tls(0, new TlsConfig.Certificate("api", cert, key));
        certificates = ServerCertificates.load(tls, new CertificateFixtures.RecordingFactory(), metrics,
                Clock.systemUTC(), SETTLE, recheck);
        server = new TlsEchoServer(certificates, CA);
        assertThat(server.served(NAME)).isEqualTo(old.certificate());
    }

    private void startWithFiles() throws Exception {
        old = issue(90);
        TestPki.Files files = old.writeTo(dir, "api");
        start(files.cert(), files.key(), Duration.ofMinutes(10));
    }

    /** A certificate for the same name with its own key, expiring in {@code days} (each test's differ). */
    private static TestPki.Issued issue(int days) {
        return CA.issue(TestPki.KeyKind.EC, Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(days)), KeyPurposeId.id_kp_serverAuth, NAME);
    }

    private void awaitServed(X509Certificate expected) {
        await().atMost(BOUND).ignoreExceptions().until(() -> server.served(NAME).equals(expected));
    }

    private double meter(String series) {
        for (String line : metrics.scrape().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        throw new AssertionError(series + " is not in the scrape");
    }

    private double reloads() {
        return meter("gatehouse_tls_certificate_reloads_total{name=\"api\"}");
    }

    private double failures() {
        return meter("gatehouse_tls_certificate_reload_failures_total{name=\"api\"}");
    }

    @Test
    void renamedIntoPlace() throws Exception {
        startWithFiles();
        TestPki.Issued next = issue(30);
        TestPki.Files staged = next.writeTo(dir, "next");

        Files.move(staged.key(), dir.resolve("api.key"), StandardCopyOption.ATOMIC_MOVE);
        Files.move(staged.cert(), dir.resolve("api.pem"), StandardCopyOption.ATOMIC_MOVE);

        awaitServed(next.certificate());
        assertThat(reloads()).isEqualTo(1.0);
        assertThat(failures()).isZero();
        assertThat(meter("gatehouse_tls_certificate_expiry_seconds{name=\"api\"}"))
                .isEqualTo((double) next.certificate().getNotAfter().toInstant().getEpochSecond());
        assertThat(logged.list).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.INFO);
            assertThat(event.getFormattedMessage()).startsWith("TLS certificate api: reloaded from "
                    + dir.resolve("api.pem") + " and " + dir.resolve("api.key") + ": CN=" + NAME);
        });
    }

    /** A mounted Secret: api.pem -> ..data/api.pem, and ..data -> ..v1 swapped atomically for ..v2. */
    @Test
    void kubernetesSecretSwap() throws Exception {
        old = issue(90);
        old.writeTo(Files.createDirectory(dir.resolve("..v1")), "api");
        Files.createSymbolicLink(dir.resolve("..data"), Path.of("..v1"));
        Files.createSymbolicLink(dir.resolve("api.pem"), Path.of("..data/api.pem"));
        Files.createSymbolicLink(dir.resolve("api.key"), Path.of("..data/api.key"));
        start(dir.resolve("api.pem"), dir.resolve("api.key"), Duration.ofMinutes(10));
        TestPki.Issued next = issue(30);

        next.writeTo(Files.createDirectory(dir.resolve("..v2")), "api");
        Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..v2"));
        Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

        awaitServed(next.certificate());
        assertThat(reloads()).isEqualTo(1.0);
        assertThat(failures()).isZero();
    }

    @Test
    void rewrittenInPlace() throws Exception {
        startWithFiles();
        TestPki.Issued next = issue(30);

        write(dir.resolve("api.pem"), next.certificatePem() + CertificateFixtures.pemOf(CA.certificate()));
        write(dir.resolve("api.key"), next.keyPem());

        awaitServed(next.certificate());
        assertThat(reloads()).isEqualTo(1.0);
        assertThat(failures()).isZero();
    }

    @Test
    void certificateThenKeyAfterTheSettleTime() throws Exception {
        startWithFiles();
        TestPki.Issued next = issue(30);

        write(dir.resolve("api.pem"), next.certificatePem());
        await().atMost(BOUND).until(() -> failures() == 1.0); // settled with the old key: refused
        assertThat(server.served(NAME)).isEqualTo(old.certificate());
        write(dir.resolve("api.key"), next.keyPem());

        awaitServed(next.certificate());
        assertThat(reloads()).isEqualTo(1.0);
    }

    @Test
    void anOpenConnectionKeepsItsCertificate() throws Exception {
        startWithFiles();
        try (SSLSocket open = server.connect(NAME)) {
            assertThat(TlsEchoServer.echo(open, "before")).isEqualTo("before");
            TestPki.Issued next = issue(30);

            next.writeTo(dir, "next");
            Files.move(dir.resolve("next.key"), dir.resolve("api.key"), StandardCopyOption.ATOMIC_MOVE);
            Files.move(dir.resolve("next.pem"), dir.resolve("api.pem"), StandardCopyOption.ATOMIC_MOVE);
            awaitServed(next.certificate());

            assertThat(TlsEchoServer.echo(open, "after")).isEqualTo("after");
            assertThat(TlsEchoServer.leaf(open)).isEqualTo(old.certificate());
        }
    }

    @Test
    void aBrokenReplacementIsRefusedAndTheOldCertificateStays() throws Exception {
        startWithFiles();
        TestPki.Issued expired = CA.issue(TestPki.KeyKind.EC, Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(1)), KeyPurposeId.id_kp_serverAuth, NAME);
        TestPki.Files staged = expired.writeTo(dir, "next");

        Files.move(staged.key(), dir.resolve("api.key"), StandardCopyOption.ATOMIC_MOVE);
        Files.move(staged.cert(), dir.resolve("api.pem"), StandardCopyOption.ATOMIC_MOVE);

        await().atMost(BOUND).until(() -> failures() == 1.0);
        assertThat(server.served(NAME)).isEqualTo(old.certificate());
        assertThat(reloads()).isZero();
        assertThat(meter("gatehouse_tls_certificate_expiry_seconds{name=\"api\"}"))
                .isEqualTo((double) old.certificate().getNotAfter().toInstant().getEpochSecond());
        assertThat(logged.list).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).isEqualTo("TLS certificate api: refused the new files: "
                    + dir.resolve("api.pem") + ": the certificate expired on "
                    + expired.certificate().getNotAfter().toInstant() + " (CN=" + NAME + "); keeping the certificate"
                    + " in use (expires " + old.certificate().getNotAfter().toInstant() + ")");
        });
    }

    /** A key file gone for a while (a deploy between two steps) is refused once, not at every re-check. */
    @Test
    void aMissingFileIsReportedOnceAndTheOldCertificateStays() throws Exception {
        old = issue(90);
        TestPki.Files files = old.writeTo(dir, "api");
        start(files.cert(), files.key(), Duration.ofMillis(200));

        Files.delete(files.key());
        await().atMost(BOUND).until(() -> failures() == 1.0);
        await("no second report while the file stays missing").during(Duration.ofSeconds(1)).atMost(BOUND)
                .until(() -> failures() == 1.0);
        assertThat(server.served(NAME)).isEqualTo(old.certificate());
        assertThat(logged.list).filteredOn(event -> event.getLevel() == Level.WARN).singleElement()
                .satisfies(event -> assertThat(event.getFormattedMessage()).contains(
                        files.key() + ": the file does not exist; keeping the certificate in use"));

        TestPki.Issued next = issue(30);
        write(files.key(), next.keyPem());
        write(files.cert(), next.certificatePem());
        awaitServed(next.certificate());
    }

    /** current -> v1 swapped for v2 above the watched directory: no event reaches the watch, the re-check sees it. */
    @Test
    void thePeriodicRecheckCatchesWhatNoEventShows() throws Exception {
        old = issue(90);
        old.writeTo(Files.createDirectory(dir.resolve("v1")), "api");
        Files.createSymbolicLink(dir.resolve("current"), Path.of("v1"));
        start(dir.resolve("current/api.pem"), dir.resolve("current/api.key"), Duration.ofMillis(500));
        TestPki.Issued next = issue(30);

        next.writeTo(Files.createDirectory(dir.resolve("v2")), "api");
        Files.createSymbolicLink(dir.resolve("current.tmp"), Path.of("v2"));
        Files.move(dir.resolve("current.tmp"), dir.resolve("current"), StandardCopyOption.ATOMIC_MOVE);

        awaitServed(next.certificate());
        assertThat(reloads()).isEqualTo(1.0);
    }
}
