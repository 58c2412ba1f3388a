package io.gatehouse.config;

import static io.gatehouse.config.Configs.DIRECT_ROUTE;
import static io.gatehouse.config.Configs.errors;
import static io.gatehouse.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsSectionTest {
    private static final String CERTS = "certificates: [{cert: /etc/gh/api.pem, key: /etc/gh/api.key}]\n";

    private static TlsConfig tls(String section) {
        return parse("server:\n  port: 8080\n  tls:\n" + section.indent(4) + DIRECT_ROUTE).server().tls();
    }

    private static List<String> tlsErrors(String section) {
        return errors("server:\n  port: 8080\n  tls:\n" + section.indent(4) + DIRECT_ROUTE);
    }

    @Test
    void absentMeansNoListener() {
        assertThat(parse(DIRECT_ROUTE).server().tls()).isNull();
    }

    @Test
    void defaults() {
        TlsConfig tls = tls("port: 8443\n" + CERTS);
        assertThat(tls.port()).isEqualTo(8443);
        assertThat(tls.certificates()).containsExactly(
                new TlsConfig.Certificate("api.pem", Path.of("/etc/gh/api.pem"), Path.of("/etc/gh/api.key")));
        assertThat(tls.defaultCertificate()).isZero();
        assertThat(tls.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(tls.ciphers().profile()).isEqualTo("intermediate");
        assertThat(tls.ciphers().suites()).startsWith("TLS_AES_128_GCM_SHA256")
                .contains("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").hasSize(9);
        assertThat(tls.clientAuth()).isEqualTo(TlsConfig.ClientAuth.NONE);
        assertThat(tls.hsts()).isNull();
        assertThat(tls.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(tls.redirectHttp()).isFalse();
    }

    @Test
    void everyKey() {
        TlsConfig tls = tls("""
                port: 8443
                certificates:
                  - {cert: /c/a.pem, key: /c/a.key, name: api}
                  - {cert: /c/w.pem, key: /c/w.key}
                default_certificate: 1
                protocols: [TLSv1.3]
                ciphers: modern
                client_auth: {mode: required, ca: /c/clients.pem}
                hsts: {max_age: 365d, include_subdomains: true, preload: true}
                handshake_timeout: 3s
                redirect_http: true
                """);
        assertThat(tls.certificates()).extracting(TlsConfig.Certificate::name).containsExactly("api", "w.pem");
        assertThat(tls.defaultCertificate()).isEqualTo(1);
        assertThat(tls.protocols()).containsExactly("TLSv1.3");
        assertThat(tls.ciphers().suites()).containsExactly("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                "TLS_CHACHA20_POLY1305_SHA256");
        assertThat(tls.clientAuth()).isEqualTo(
                new TlsConfig.ClientAuth(TlsConfig.ClientAuth.Mode.REQUIRED, Path.of("/c/clients.pem")));
        assertThat(tls.hsts().headerValue()).isEqualTo("max-age=31536000; includeSubDomains; preload");
        assertThat(tls.handshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(tls.redirectHttp()).isTrue();
    }

    @Test
    void modernProfileDefaultsToTls13Only() {
        assertThat(tls("port: 8443\nciphers: modern\n" + CERTS).protocols()).containsExactly("TLSv1.3");
    }

    @Test
    void modernWithTls12NamesBothKeys() {
        assertThat(tlsErrors("port: 8443\nciphers: modern\nprotocols: [TLSv1.3, TLSv1.2]\n" + CERTS))
                .containsExactly("server.tls.protocols[1]: \"TLSv1.2\" (server.tls.ciphers: modern is Mozilla's"
                        + " TLS 1.3-only profile; use ciphers: intermediate for TLSv1.2, or leave TLSv1.2 out)");
    }

    @Test
    void oldProtocolsAreNotOffered() {
        assertThat(tlsErrors("port: 8443\nprotocols: [TLSv1.2, TLSv1.1, TLSv1]\n" + CERTS)).containsExactly(
                "server.tls.protocols[1]: \"TLSv1.1\" (not offered: TLS 1.1 and older are deprecated (RFC 8996);"
                        + " expected a list of TLSv1.3, TLSv1.2)",
                "server.tls.protocols[2]: \"TLSv1\" (not offered: TLS 1.1 and older are deprecated (RFC 8996);"
                        + " expected a list of TLSv1.3, TLSv1.2)");
        assertThat(tlsErrors("port: 8443\nprotocols: [TLSv2]\n" + CERTS)).containsExactly(
                "server.tls.protocols[0]: \"TLSv2\" (expected a list of TLSv1.3, TLSv1.2)");
        assertThat(tlsErrors("port: 8443\nprotocols: []\n" + CERTS)).containsExactly(
                "server.tls.protocols: a list (expected at least one of TLSv1.3, TLSv1.2)");
    }

    @Test
    void explicitCipherSuitesAreCheckedAgainstTheEngine() {
        TlsConfig tls = tls("port: 8443\nciphers: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256]\n"
                + CERTS);
        assertThat(tls.ciphers().profile()).isNull();
        assertThat(tls.ciphers().suites()).containsExactly("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "TLS_AES_128_GCM_SHA256");
        assertThat(tlsErrors("port: 8443\nciphers: [TLS_RSA_WITH_NULL_MD5_NOPE]\n" + CERTS)).singleElement()
                .asString().startsWith("server.tls.ciphers[0]: \"TLS_RSA_WITH_NULL_MD5_NOPE\" (expected a cipher"
                        + " suite the TLS engine supports");
        assertThat(tlsErrors("port: 8443\nciphers: strong\n" + CERTS)).containsExactly(
                "server.tls.ciphers: \"strong\" (expected modern, intermediate or a list of cipher suites)");
    }

    @Test
    void clientAuthNeedsACa() {
        assertThat(tlsErrors("port: 8443\nclient_auth: {mode: required}\n" + CERTS)).containsExactly(
                "server.tls.client_auth.ca: missing (expected the PEM file of the CA client certificates must chain"
                        + " to, with mode: required)");
        assertThat(tlsErrors("port: 8443\nclient_auth: {mode: none, ca: /c/ca.pem}\n" + CERTS)).containsExactly(
                "server.tls.client_auth.ca: \"/c/ca.pem\" (expected no ca with mode: none, which asks clients for"
                        + " no certificate)");
        assertThat(tlsErrors("port: 8443\nclient_auth: {mode: sometimes, ca: /c/ca.pem}\n" + CERTS))
                .containsExactly("server.tls.client_auth.mode: \"sometimes\" (expected none, optional or required)");
        assertThat(tls("port: 8443\nclient_auth: {mode: optional, ca: /c/ca.pem}\n" + CERTS).clientAuth().mode())
                .isEqualTo(TlsConfig.ClientAuth.Mode.OPTIONAL);
    }

    @Test
    void portMustDifferFromThePlainOne() {
        assertThat(tlsErrors("port: 8080\n" + CERTS)).containsExactly(
                "server.tls.port: 8080 (expected a port other than server.port, which serves plain HTTP)");
        assertThat(tlsErrors(CERTS)).containsExactly("server.tls.port: missing (expected the HTTPS port, 0..65535)");
        assertThat(tlsErrors("port: 70000\n" + CERTS)).containsExactly("server.tls.port: 70000 (expected: 0..65535)");
    }

    @Test
    void certificates() {
        assertThat(tlsErrors("port: 8443")).containsExactly(
                "server.tls.certificates: missing (expected a list of {cert: FILE, key: FILE, name: NAME})");
        assertThat(tlsErrors("port: 8443\ncertificates: []")).containsExactly(
                "server.tls.certificates: a list (expected at least one certificate)");
        assertThat(tlsErrors("port: 8443\ncertificates: [{cert: /a.pem}]")).containsExactly(
                "server.tls.certificates[0].key: missing (expected the PEM file of the private key)");
        assertThat(tlsErrors("port: 8443\ncertificates: [{cert: /a/x.pem, key: /a/k}, {cert: /b/x.pem, key: /b/k}]"))
                .containsExactly("server.tls.certificates[1].cert: \"/b/x.pem\" (expected a name no other certificate"
                        + " has (set name: to tell entries apart))");
        assertThat(tlsErrors("port: 8443\ndefault_certificate: 1\n" + CERTS)).containsExactly(
                "server.tls.default_certificate: 1 (expected: 0..0)");
        assertThat(tlsErrors("port: 8443\ncertificates: [{cert: /a.pem, key: /a.key, pem: x}]")).containsExactly(
                "server.tls.certificates[0].pem: unknown key (expected one of: cert, key, name)");
    }

    @Test
    void hsts() {
        assertThat(tls("port: 8443\nhsts: {max_age: 1d}\n" + CERTS).hsts().headerValue()).isEqualTo("max-age=86400");
        assertThat(tlsErrors("port: 8443\nhsts: {max_age: 30d, preload: true}\n" + CERTS)).containsExactly(
                "server.tls.hsts.preload: true (expected preload only with include_subdomains: true and a max_age of"
                        + " at least 365d, as the browsers' preload list requires)");
        assertThat(tlsErrors("port: 8443\nhsts: {include_subdomains: true}\n" + CERTS)).containsExactly(
                "server.tls.hsts.max_age: missing (expected a duration such as 365d (0 tells browsers to forget the"
                        + " policy))");
        assertThat(errors("server:\n  tls:\n    port: 8443\n    hsts: {max_age: 1d}\n" + CERTS.indent(4)
                + "security_headers: {hsts: max-age=5}\n" + DIRECT_ROUTE)).containsExactly(
                "security_headers.hsts: set here or in server.tls.hsts, not both (server.tls.hsts is sent on its"
                        + " listener)");
    }

    @Test
    void unknownKeys() {
        assertThat(tlsErrors("port: 8443\nsession_tickets: true\n" + CERTS)).containsExactly(
                "server.tls.session_tickets: unknown key (expected one of: port, certificates, default_certificate,"
                        + " protocols, ciphers, client_auth, hsts, handshake_timeout, redirect_http)");
    }
}
