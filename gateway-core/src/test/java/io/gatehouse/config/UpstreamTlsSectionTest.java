package io.gatehouse.config;

import io.gatehouse.testing.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code https://} backend URLs and {@code pools.NAME.tls}: each key, its default, and each error. */
class UpstreamTlsSectionTest {
    private static final String ROUTE = """
            routes:
              - id: r
                match: {path_prefix: /}
                pool: users
            """;

    @TempDir
    static Path dir;
    private static TestPki.Authority ca;
    private static Path caFile;
    private static TestPki.Files client;
    private static TestPki.Files otherClient;

    @BeforeAll
    static void pki() {
        ca = TestPki.authority("Upstream CA");
        caFile = ca.writeTo(dir.resolve("ca.pem"));
        client = ca.client("gateway").writeTo(dir, "client");
        otherClient = ca.client("other").writeTo(dir, "other");
    }

    private static PoolConfig users(String body) {
        return parse("pools:\n  users:\n" + body.indent(4) + ROUTE).pools().get("users");
    }

    private static List<String> usersErrors(String body) {
        return errors("pools:\n  users:\n" + body.indent(4) + ROUTE);
    }

    @Test
    void httpsUrlsDefaultTo443AndGetFullVerificationAgainstTheSystemTrustStore() {
        PoolConfig pool = users("""
                backends: [https://api.internal, "https://10.0.0.2:8443", "https://[::1]"]
                """);
        assertThat(pool.backends()).extracting(BackendConfig::address, BackendConfig::tls).containsExactly(
                org.assertj.core.groups.Tuple.tuple("api.internal:443", true),
                org.assertj.core.groups.Tuple.tuple("10.0.0.2:8443", true),
                org.assertj.core.groups.Tuple.tuple("[::1]:443", true));
        assertThat(pool.tls()).isEqualTo(UpstreamTlsConfig.DEFAULTS);
        assertThat(pool.tls().insecureSkipVerify()).isFalse();
        assertThat(users("backends: [http://a]").tls()).isNull();
        assertThat(users("backends: [http://a]").backends().get(0).port()).isEqualTo(80);
    }

    @Test
    void aDirectUpstreamMayBeHttps() {
        GatewayConfig config = parse("""
                routes:
                  - id: a
                    match: {path: /a}
                    upstream: https://a.internal
                """);
        assertThat(config.pools().get(RouteConfig.directPoolName("a")).tls()).isEqualTo(UpstreamTlsConfig.DEFAULTS);
    }

    @Test
    void everyKeyIsRead() {
        PoolConfig pool = users("""
                backends: [https://a.internal]
                tls:
                  ca: %s
                  server_name: API.Internal.Example
                  client_certificate: {cert: %s, key: %s}
                """.formatted(caFile, client.cert(), client.key()));
        UpstreamTlsConfig tls = pool.tls();
        assertThat(tls.ca()).isEqualTo(caFile);
        assertThat(tls.trusted()).containsExactly(ca.certificate());
        assertThat(tls.serverName()).isEqualTo("api.internal.example");
        assertThat(tls.clientCertificate().cert()).isEqualTo(client.cert());
        assertThat(tls.clientCertificate().chain()).hasSize(2);
        assertThat(tls.clientCertificate().chain().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=gateway");
        assertThat(tls.clientCertificate().toString()).doesNotContain("key=").contains("CN=gateway");
        assertThat(tls.insecureSkipVerify()).isFalse();
        assertThat(users("backends: [https://a]\ntls: {insecure_skip_verify: true}").tls().insecureSkipVerify())
                .isTrue();
    }

    @Test
    void theFilesContentsAreWhatMakesTwoConfigsEqual() throws IOException {
        String body = "backends: [https://a]\ntls: {ca: %s}".formatted(caFile);
        UpstreamTlsConfig before = users(body).tls();
        assertThat(users(body).tls()).isEqualTo(before);
        Path copy = Files.copy(caFile, dir.resolve("ca-copy.pem"));
        TestPki.authority("Rotated CA").writeTo(caFile);
        try {
            assertThat(users(body).tls()).isNotEqualTo(before); // a reload sees the replaced CA
        } finally {
            Files.move(copy, caFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void oneSchemePerPool() {
        assertThat(usersErrors("backends: [https://a, http://b]")).containsExactly(
                "pools.users.backends: mixes http:// and https:// URLs (expected one scheme per pool, so that a "
                        + "retry never moves a request from TLS to plain text)");
    }

    @Test
    void aTlsBlockNeedsHttpsBackends() {
        assertThat(usersErrors("backends: [http://a]\ntls: {server_name: a.example}")).containsExactly(
                "pools.users.tls: set on a pool without https:// backends (expected https:// backend URLs, or no tls)");
    }

    @Test
    void discoveredMembersArePlainHttp() {
        assertThat(usersErrors("backends: [https://a]\ndiscovery: {dns: {name: u.internal, port: 80}}"))
                .containsExactly("pools.users.backends: has https:// URLs in a pool with discovery (expected "
                        + "http:// only: discovered members cannot use TLS yet)");
    }

    @Test
    void unknownKeysAndWrongTypes() {
        assertThat(usersErrors("""
                backends: [https://a]
                tls: {ca_file: x, server_name: 10.0.0.1, insecure_skip_verify: maybe,
                      client_certificate: {cert: x, pem: y}}
                """)).containsExactlyInAnyOrder(
                "pools.users.tls.ca_file: unknown key (expected one of: ca, server_name, client_certificate, "
                        + "insecure_skip_verify)",
                "pools.users.tls.server_name: \"10.0.0.1\" (expected a DNS name such as api.internal.example)",
                "pools.users.tls.insecure_skip_verify: \"maybe\" (expected true or false)",
                "pools.users.tls.client_certificate.pem: unknown key (expected one of: cert, key)",
                "pools.users.tls.client_certificate.key: missing (expected the path of a PEM file: the client "
                        + "certificate's PKCS#8 private key)",
                "pools.users.tls.client_certificate.cert: \"x\" (expected a readable PEM file: no such file)");
        assertThat(usersErrors("backends: [https://a]\ntls: [x]")).containsExactly(
                "pools.users.tls: a list (expected a map with keys: ca, server_name, client_certificate, "
                        + "insecure_skip_verify)");
    }

    @Test
    void unreadableOrGarbageFilesNameTheKeyAndThePath() throws IOException {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
        Path missing = dir.resolve("missing.pem");
        assertThat(usersErrors("backends: [https://a]\ntls: {ca: %s}".formatted(missing))).containsExactly(
                "pools.users.tls.ca: \"" + missing + "\" (expected a readable PEM file: no such file)");
        assertThat(usersErrors("backends: [https://a]\ntls: {ca: %s}".formatted(garbage))).containsExactly(
                "pools.users.tls.ca: \"" + garbage + "\" (expected PEM certificates (BEGIN CERTIFICATE); the file "
                        + "holds none that can be read)");
        assertThat(usersErrors("backends: [https://a]\ntls: {ca: %s}".formatted(client.key()))).containsExactly(
                "pools.users.tls.ca: \"" + client.key() + "\" (expected PEM certificates (BEGIN CERTIFICATE); "
                        + "the file holds none that can be read)");
        assertThat(usersErrors("backends: [https://a]\ntls: {ca: \"\"}")).containsExactly(
                "pools.users.tls.ca: \"\" (expected the path of a PEM file)");
        assertThat(usersErrors("backends: [https://a]\ntls: {client_certificate: {cert: %s, key: %s}}"
                .formatted(client.cert(), client.cert()))).containsExactly(
                "pools.users.tls.client_certificate.key: \"" + client.cert() + "\" (expected a PKCS#8 PEM private "
                        + "key (BEGIN PRIVATE KEY))");
    }

    @Test
    void theClientKeyMustBelongToTheCertificate() {
        assertThat(usersErrors("backends: [https://a]\ntls: {client_certificate: {cert: %s, key: %s}}"
                .formatted(client.cert(), otherClient.key()))).containsExactly(
                "pools.users.tls.client_certificate.key: \"" + otherClient.key() + "\" (expected the private key "
                        + "of the certificate in " + client.cert() + "; this is another key)");
    }

    @Test
    void insecureSkipVerifyWithACaIsAContradiction() {
        assertThat(usersErrors("backends: [https://a]\ntls: {ca: %s, insecure_skip_verify: true}".formatted(caFile)))
                .containsExactly("pools.users.tls.ca: set together with insecure_skip_verify: true, which verifies "
                        + "nothing against it (expected one of the two)");
    }
}
